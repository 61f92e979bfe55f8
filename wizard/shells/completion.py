"""Tab-completion scripts for bash, zsh and fish, from a description of the command line.

The description (`Spec`) is made from the argparse parser by cli/completion.py, so the scripts
offer exactly the commands, options and choices the parser accepts, with its help texts as the
descriptions zsh and fish show. Each shell's script is written here because each is that shell's
syntax: bash's `complete -F`, zsh's `_arguments`, fish's `complete -c`. They share the rules of
the command line: global options go before or after the command; with no command named, setup's
options apply (setup is the default command); after `help` come command names; after `run --`
comes another command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Opt:
    """One option. `value`: None for a flag; "choice" (from `choices`), "path" or "text"."""

    flags: tuple[str, ...]
    help: str
    value: str | None = None
    choices: tuple[str, ...] = ()
    repeat: bool = False


@dataclass(frozen=True)
class Cmd:
    name: str
    help: str
    options: tuple[Opt, ...]
    words: tuple[str, ...] = ()  # the choices of its positional argument (completion's shell)
    command_line: bool = False  # `run -- CMD ...`


@dataclass(frozen=True)
class Spec:
    prog: str
    commands: tuple[Cmd, ...]
    globals: tuple[Opt, ...]  # valid before the command as well as after it
    top_only: tuple[Opt, ...]  # valid only before the command (--version, the overview's --help)
    default: str
    help_word: tuple[str, str]  # ("help", its description)

    def command(self, name: str) -> Cmd:
        return next(c for c in self.commands if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return (*(c.name for c in self.commands), self.help_word[0])


def _words(items: tuple[str, ...]) -> str:
    """Each word once, in order: `-h --help` is both the overview's and setup's (the default command)."""
    return " ".join(dict.fromkeys(items))


def _func(prog: str) -> str:
    return "_" + prog.replace("-", "_")


# --- bash ----------------------------------------------------------------------------------------


def bash(spec: Spec) -> str:
    func = _func(spec.prog)
    valued = sorted(
        {f for c in spec.commands for o in (*c.options, *spec.globals) if o.value for f in o.flags}
    )
    values: list[str] = []
    for o in spec.globals:
        if o.value == "choice":
            values.extend(f'        *:{f}) words="{_words(o.choices)}" ;;' for f in o.flags)
    for c in spec.commands:
        for o in c.options:
            for f in o.flags:
                if o.value == "choice":
                    values.append(f'        {c.name}:{f}) words="{_words(o.choices)}" ;;')
                elif o.value == "path":
                    values.append(f"        {c.name}:{f}) {func}_files; return 0 ;;")
                elif o.value == "text":
                    values.append(f"        {c.name}:{f}) return 0 ;;")
    per_command = []
    for c in spec.commands:
        flags = [f for o in (*c.options, *spec.globals) for f in o.flags]
        per_command.append(f'        {c.name}) words="{_words((*c.words, *flags))}" ;;')
    default = spec.command(spec.default)
    top_flags = [f for o in (*spec.top_only, *spec.globals, *default.options) for f in o.flags]
    return f"""# bash completion for {spec.prog}: eval "$({spec.prog} completion bash)" in ~/.bashrc
{func}_files() {{
    type compopt >/dev/null 2>&1 && compopt -o filenames
    COMPREPLY=($(compgen -f -- "$cur"))
}}

{func}() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local cmd="" words="" i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${{COMP_WORDS[i]}}
        case $w in
            --)
                if [[ $cmd == run ]]; then
                    # after `run --`: a command, then its arguments (files)
                    if ((i + 1 == COMP_CWORD)); then COMPREPLY=($(compgen -c -- "$cur")); return 0; fi
                    {func}_files
                    return 0
                fi ;;
            {"|".join(valued)}) ((i++)) ;;
            -*) ;;
            *) [[ -z $cmd ]] && cmd=$w ;;
        esac
    done
    local context=${{cmd:-{spec.default}}}
    case "$context:$prev" in
{chr(10).join(values)}
    esac
    if [[ -z $words ]]; then
        case $cmd in
            "")
                if [[ $cur == -* ]]; then
                    words="{_words(tuple(top_flags))}"
                else
                    words="{_words(spec.names)}"
                fi ;;
            {spec.help_word[0]}) words="{_words(spec.names)}" ;;
{chr(10).join(per_command)}
        esac
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}

complete -F {func} {spec.prog}
"""


# --- zsh -----------------------------------------------------------------------------------------


def _zq(text: str) -> str:
    """A zsh single-quoted word."""
    return "'" + text.replace("'", "'\\''") + "'"


def _zdesc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def _zspec(o: Opt) -> list[str]:
    action = ""
    if o.value == "choice":
        action = f":{o.flags[-1].lstrip('-')}:({_words(o.choices)})"
    elif o.value == "path":
        action = ":path:_files"
    elif o.value == "text":
        action = f":{o.flags[-1].lstrip('-')}: "
    desc = f"[{_zdesc(o.help)}]"
    star = "*" if o.repeat else ""
    if len(o.flags) > 1:
        exclusive = f"({' '.join(o.flags)})" if not o.repeat else ""
        return [f"{_zq(exclusive)}{star}{{{','.join(o.flags)}}}{_zq(desc + action)}"]
    return [_zq(f"{star}{o.flags[0]}{desc}{action}")]


def zsh(spec: Spec) -> str:
    func = _func(spec.prog)
    entries = [f"        {_zq(c.name + ':' + c.help)}" for c in spec.commands]
    entries.append(f"        {_zq(spec.help_word[0] + ':' + spec.help_word[1])}")
    globals_ = [s for o in spec.globals for s in _zspec(o)]
    top = [s for o in spec.top_only for s in _zspec(o)]
    default = [s for o in spec.command(spec.default).options for s in _zspec(o)]
    cases = []
    for c in spec.commands:
        specs = [s for o in (*c.options, *spec.globals) for s in _zspec(o)]
        if c.words:
            specs.append(_zq(f"1:{c.name}:({_words(c.words)})"))
        if c.command_line:
            specs.append(_zq("*::command line:_normal"))
        cases.append(f"            {c.name}) _arguments -s {' '.join(specs)} ;;")
    return f"""#compdef {spec.prog}
# zsh completion for {spec.prog}: eval "$({spec.prog} completion zsh)" in ~/.zshrc after compinit,
# or save it as _{spec.prog} in a folder of $fpath.
{func}() {{
    local -a commands
    commands=(
{chr(10).join(entries)}
    )
    local curcontext=$curcontext state line
    _arguments -C -s {" ".join(top)} {" ".join(globals_)} {" ".join(default)} \\
        '1: :->command' '*:: :->args' && return 0
    case $state in
        command) _describe -t commands {_zq(spec.prog + " command")} commands ;;
        args)
            case $words[1] in
            {spec.help_word[0]}) _describe -t commands command commands ;;
{chr(10).join(cases)}
            esac ;;
    esac
}}

if [[ ${{funcstack[1]}} == _{spec.prog} ]]; then
    {func} "$@"
else
    compdef {func} {spec.prog}
fi
"""


# --- fish ----------------------------------------------------------------------------------------


def _fq(text: str) -> str:
    """A fish single-quoted word."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fopt(prog: str, condition: str, o: Opt) -> str:
    parts = [f"complete -c {prog}"]
    if condition:
        parts.append(f"-n {_fq(condition)}")
    for f in o.flags:
        parts.append(f"-s {f[1:]}" if not f.startswith("--") else f"-l {f[2:]}")
    if o.value == "choice":
        parts.append(f"-x -a {_fq(_words(o.choices))}")
    elif o.value == "path":
        parts.append("-r -F")
    elif o.value == "text":
        parts.append("-x")
    parts.append(f"-d {_fq(o.help)}")
    return " ".join(parts)


def fish(spec: Spec) -> str:
    names = _words(spec.names)
    none_yet = f"not __fish_seen_subcommand_from {names}"
    lines = [
        f"# fish completion for {spec.prog}: {spec.prog} completion fish | source (in config.fish)",
        f"complete -c {spec.prog} -f",
    ]
    for c in spec.commands:
        lines.append(f"complete -c {spec.prog} -n {_fq(none_yet)} -a {c.name} -d {_fq(c.help)}")
    word, about = spec.help_word
    lines.append(f"complete -c {spec.prog} -n {_fq(none_yet)} -a {word} -d {_fq(about)}")
    lines.append(f"complete -c {spec.prog} -n {_fq('__fish_seen_subcommand_from ' + word)} -a {_fq(names)}")
    lines.extend(_fopt(spec.prog, none_yet, o) for o in spec.top_only)
    lines.extend(_fopt(spec.prog, "", o) for o in spec.globals)
    for c in spec.commands:
        condition = f"__fish_seen_subcommand_from {c.name}"
        if c.name == spec.default:
            condition += f"; or {none_yet}"
        lines.extend(_fopt(spec.prog, condition, o) for o in c.options)
        if c.words:
            lines.append(f"complete -c {spec.prog} -n {_fq(condition)} -a {_fq(_words(c.words))}")
        if c.command_line:
            lines.append(
                f"complete -c {spec.prog} -n {_fq(condition + '; and contains -- -- (commandline -opc)')} "
                "-a '(__fish_complete_subcommand --fcs-skip=3)'"
            )
    return "\n".join(lines) + "\n"


SCRIPTS: dict[str, Callable[[Spec], str]] = {"bash": bash, "zsh": zsh, "fish": fish}
