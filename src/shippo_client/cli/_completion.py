"""Shell completion scripts for bash and zsh, generated from the parser."""

from __future__ import annotations

import argparse

__all__ = ["completion_script"]

_BASH_TEMPLATE = """\
# bash completion for {prog}; load with: source <({prog} completion bash)
_{func}() {{
    local cur words command i
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    command=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            -*) ;;
            *) command="${{COMP_WORDS[i]}}"; break ;;
        esac
    done
    case "$command" in
{cases}
        *) words="{commands} {global_options}" ;;
    esac
    if [[ "$cur" != -* && -n "$command" ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    fi
}}
complete -o default -F _{func} {prog}
"""

_ZSH_PREFIX = """\
#compdef {prog}
# zsh completion for {prog}; load with: source <({prog} completion zsh)
autoload -U +X bashcompinit && bashcompinit
"""


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """Return a completion script for `shell` ("bash" or "zsh")."""
    bash = _bash_script(parser)
    if shell == "zsh":
        return _ZSH_PREFIX.format(prog=parser.prog) + bash
    return bash


def _bash_script(parser: argparse.ArgumentParser) -> str:
    commands = _subcommands(parser)
    cases = "\n".join(
        f'        {name}) words="{" ".join(_options(sub))}" ;;'
        for name, sub in commands.items()
    )
    return _BASH_TEMPLATE.format(
        prog=parser.prog,
        func=parser.prog.replace("-", "_"),
        cases=cases,
        commands=" ".join(commands),
        global_options=" ".join(_options(parser)),
    )


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--")
    ]
