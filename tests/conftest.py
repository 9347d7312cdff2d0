"""Shared test setup: every request shippo_client sends must match openapi.yaml."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contract.wire import recording, violations


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Checked after the test body, so that the failure names the test that
    # sent the bad request, whatever the test did with the client's result.
    with recording() as sent:
        result = yield
    problems = [problem for request in sent for problem in violations(request)]
    if problems:
        raise AssertionError("\n".join(problems))
    return result
