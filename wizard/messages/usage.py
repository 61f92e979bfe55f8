"""Catalogue entries for the command-line frame: argparse's own texts (``usage.ap.*``) and what to
do about a key typed on the command line, per shell (``usage.forget.*``) -> (English, 中文).

Data, not code. ``usage.ap.*`` entries are looked up by their English text, which is argparse's
message id (cli/usage.py puts them in argparse's gettext hook), so the English must be argparse's
exactly, placeholders and all (``%(value)r``, ``%s``: argparse fills them in after translating).
Where Python versions word a text differently (3.9: "optional arguments"; 3.10+: "options"),
each wording has its entry.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- argparse's frame (help and errors) ------------------------------------------------------
    "usage.ap.usage": ("usage: ", "用法: "),
    "usage.ap.options": ("options", "选项"),
    "usage.ap.optional_arguments": ("optional arguments", "选项"),
    "usage.ap.positional_arguments": ("positional arguments", "位置参数"),
    "usage.ap.subcommands": ("subcommands", "子命令"),
    "usage.ap.help": ("show this help message and exit", "显示此帮助信息并退出"),
    "usage.ap.version": ("show program's version number and exit", "显示程序版本号并退出"),
    "usage.ap.error": ("%(prog)s: error: %(message)s\n", "%(prog)s: 错误: %(message)s\n"),
    "usage.ap.argument": ("argument %(argument_name)s: %(message)s", "参数 %(argument_name)s: %(message)s"),
    "usage.ap.required": ("the following arguments are required: %s", "缺少必需的参数: %s"),
    "usage.ap.one_required": ("one of the arguments %s is required", "以下参数必须提供一个: %s"),
    "usage.ap.unrecognized": ("unrecognized arguments: %s", "无法识别的参数: %s"),
    "usage.ap.ambiguous": (
        "ambiguous option: %(option)s could match %(matches)s",
        "选项有歧义: %(option)s 可能是 %(matches)s",
    ),
    "usage.ap.invalid_choice": (
        "invalid choice: %(value)r (choose from %(choices)s)",
        "无效的取值: %(value)r（可选: %(choices)s）",
    ),
    "usage.ap.invalid_value": ("invalid %(type)s value: %(value)r", "无效的 %(type)s 值: %(value)r"),
    "usage.ap.expected_one": ("expected one argument", "需要一个参数值"),
    "usage.ap.expected_at_most_one": ("expected at most one argument", "最多只能有一个参数值"),
    "usage.ap.expected_at_least_one": ("expected at least one argument", "至少需要一个参数值"),
    "usage.ap.expected_n": ("expected %s argument", "需要 %s 个参数值"),
    "usage.ap.expected_n_plural": ("expected %s arguments", "需要 %s 个参数值"),
    "usage.ap.not_allowed": ("not allowed with argument %s", "不能与参数 %s 同时使用"),
    "usage.ap.ignored_explicit": ("ignored explicit argument %r", "多余的参数值 %r 被忽略"),
    "usage.ap.unexpected_option": ("unexpected option string: %s", "意外的选项: %s"),
    # --- a key typed on the command line: the next step, per shell -------------------------------
    "usage.forget.bash": (
        "Right now, before any other command, remove it from this shell's memory: "
        "history -d $((HISTCMD-1)) — then, if your bash already saved it to ~/.bash_history "
        "(PROMPT_COMMAND with history -a), run: {prog} status --scrub-history",
        "请立即（在运行其他命令之前）将它从当前 shell 的内存中删除：history -d $((HISTCMD-1))"
        " —— 如果 bash 已经把它写入了 ~/.bash_history（PROMPT_COMMAND 中有 history -a），再运行："
        "{prog} status --scrub-history",
    ),
    "usage.forget.zsh": (
        "zsh cannot delete one line from the history it holds in memory: close this terminal (zsh "
        "writes its history when it exits), then in a new one run: {prog} status --scrub-history",
        "zsh 无法从内存中的历史记录里删除单独一行：请关闭当前终端（zsh 退出时才写入历史文件），"
        "然后在新终端中运行：{prog} status --scrub-history",
    ),
    "usage.forget.fish": (
        "fish saved it at once. Remove it with: history delete --contains sk- "
        "(fish lists the matching lines and asks which to delete), or run: "
        "{prog} status --scrub-history and then close this terminal.",
        "fish 已立即保存了该行。可运行 history delete --contains sk- 删除"
        "（fish 会列出匹配的行并询问要删除哪些），或运行 {prog} status --scrub-history，然后关闭当前终端。",
    ),
    "usage.forget.powershell": (
        "PSReadLine saved it to its history file at once: run {prog} status --scrub-history, "
        "then close this PowerShell window (its Up-arrow history still holds the line).",
        "PSReadLine 已立即把它写入历史文件：请运行 {prog} status --scrub-history，"
        "然后关闭当前 PowerShell 窗口（按上方向键仍能调出该行）。",
    ),
    "usage.forget.cmd": (
        "CMD keeps its history in memory only: press Alt+F7 to clear it, or close this window.",
        "CMD 只在内存中保存历史记录：按 Alt+F7 清除，或关闭当前窗口。",
    ),
    "usage.forget.other": (
        "If your shell keeps a history, run: {prog} status --scrub-history, then close this terminal.",
        "如果你的 shell 会保存历史记录，请运行 {prog} status --scrub-history，然后关闭当前终端。",
    ),
}
