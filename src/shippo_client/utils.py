"""Retry settings, under the names the official SDK uses (``utils.RetryConfig``)."""

from ._retries import BackoffStrategy, RetryBudget, RetryConfig

__all__ = ["BackoffStrategy", "RetryBudget", "RetryConfig"]
