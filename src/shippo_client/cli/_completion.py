"""Shell completion scripts for bash and zsh, generated from the parser."""

from __future__ import annotations

import argparse

__all__ = ["completion_script"]

_BASH_TEMPLATE = """\
# bash completion for {prog}; load with: source <({prog} completion bash)
_{func}() {{
    local cur prev words choices command i
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    command=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            {valued_options}) ((i++)) ;;
            -*) ;;
            *) command="${{COMP_WORDS[i]}}"; break ;;
        esac
    done
    case "$prev" in
{option_cases}
    esac
    choices=""
    case "$command" in
{cases}
        *) words="{commands} {global_options}" ;;
    esac
    if [[ "$cur" == -* || -z "$command" ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    elif [[ -n "$choices" ]]; then
        COMPREPLY=($(compgen -W "$choices" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
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
        f'        {name}) words="{" ".join(_options(sub))}"; '
        f'choices="{" ".join(_positional_choices(sub))}" ;;'
        for name, sub in commands.items()
    )
    return _BASH_TEMPLATE.format(
        prog=parser.prog,
        func=parser.prog.replace("-", "_"),
        valued_options="|".join(_valued_options(parser)) or "--",
        option_cases=_option_cases([parser, *commands.values()]),
        cases=cases,
        commands=" ".join(commands),
        global_options=" ".join(_options(parser)),
    )


def _option_cases(parsers: list[argparse.ArgumentParser]) -> str:
    # After an option with choices, such as --input-format, the next word is
    # one of them. Each case returns before the command's own completion.
    choices_by_option: dict[str, str] = {}
    for parser in parsers:
        for action in parser._actions:
            if action.option_strings and action.choices:
                words = " ".join(str(choice) for choice in action.choices)
                for option in action.option_strings:
                    choices_by_option.setdefault(option, words)
    return "\n".join(
        f'        {option}) COMPREPLY=($(compgen -W "{words}" -- "$cur")); return ;;'
        for option, words in choices_by_option.items()
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


def _valued_options(parser: argparse.ArgumentParser) -> list[str]:
    # Global options that take a value, so that in `--api-key KEY get` the
    # command is found as "get", not "KEY".
    return [
        option
        for action in parser._actions
        if action.option_strings and action.nargs != 0
        for option in action.option_strings
        if option.startswith("--") and option not in ("--help", "--version")
    ]


def _positional_choices(parser: argparse.ArgumentParser) -> list[str]:
    return [
        str(choice)
        for action in parser._actions
        if not action.option_strings and action.choices
        for choice in action.choices
    ]
