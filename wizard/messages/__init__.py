"""The message catalogue: every user-facing sentence, in English and Chinese.

`t(lang, msg_id, **params)` renders one. Parameters never carry the raw key.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

LANGS = ("zh", "en")


def detect_lang(flag: str | None, env: Mapping[str, str]) -> str:
    if flag in LANGS:
        return flag
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


# msg_id -> (English, 中文)
CORE: dict[str, tuple[str, str]] = {
    # errors: usage and input (exit 2)
    "err.not_interactive": (
        "The interactive wizard is not available here. To run without questions pass --yes and a key "
        "source, e.g.: dashscope-setup setup --yes --key-stdin < keyfile",
        "此处无法运行交互式向导。如需无提问运行，请加上 --yes 并指定密钥来源，例如："
        "dashscope-setup setup --yes --key-stdin < keyfile",
    ),
    "err.no_key_source": (
        "No key given. Pass one of --key-stdin, --key-file PATH or --use-env (the key is never accepted "
        "on the command line).",
        "未提供密钥。请使用 --key-stdin、--key-file PATH 或 --use-env 之一（出于安全考虑，不接受在命令行中直接写密钥）。",
    ),
    "err.key_sources": (
        "Choose only one of --key-stdin, --key-file and --use-env.",
        "--key-stdin、--key-file、--use-env 只能选择一个。",
    ),
    "err.key_file_unreadable": (
        "Cannot read the key file {path}: {reason}.",
        "无法读取密钥文件 {path}：{reason}。",
    ),
    "err.use_env_missing": (
        "--use-env was given but DASHSCOPE_API_KEY is not set in this environment.",
        "指定了 --use-env，但当前环境中没有设置 DASHSCOPE_API_KEY。",
    ),
    "err.key_empty": ("The key is empty.", "密钥为空。"),
    "err.key_multiline": (
        "The key spans several lines; paste exactly one key.",
        "密钥包含多行内容，请只粘贴一个密钥。",
    ),
    "err.key_space": (
        "The key contains whitespace at character {pos}; a key has none.",
        "密钥第 {pos} 个字符处有空白字符，正确的密钥中不含空白。",
    ),
    "err.key_nonascii": (
        "The key contains a non-ASCII or control character at position {pos} (a full-width or invisible "
        "character from copying?).",
        "密钥第 {pos} 个字符不是普通 ASCII 字符（可能复制时带入了全角或不可见字符）。",
    ),
    "err.key_temporary": (
        "This is a temporary token (st-…): it expires within 30 minutes, so it cannot be saved "
        "permanently. Create an API key (sk-…) in the Model Studio console.",
        "这是临时令牌（st-…），30 分钟内即失效，不能持久保存。请在百炼控制台创建 API Key（sk-…）。",
    ),
    "err.key_prefix": (
        'This does not look like a DashScope API key: keys start with "sk-".',
        '这看起来不是百炼（DashScope）API Key：密钥以 "sk-" 开头。',
    ),
    "err.key_long": (
        "The key is {length} characters long; more than {max} is not a key (two keys pasted together?).",
        "密钥长度为 {length} 个字符，超过 {max}，不像是一个密钥（是否粘贴了两次？）。",
    ),
    "err.key_short": (
        "The key is only {length} characters long; it looks cut off.",
        "密钥只有 {length} 个字符，看起来被截断了。",
    ),
    "err.key_chars": (
        "The key has an unexpected character at position {pos}; keys use letters, digits, '.', '_' and '-'.",
        "密钥第 {pos} 个字符不合法；密钥只包含字母、数字、'.'、'_' 和 '-'。",
    ),
    "err.region_override": (
        'Cannot understand "{entry}" in {var}; expected region=URL, e.g. '
        "cn-beijing=http://127.0.0.1:8001/compatible-mode/v1.",
        '无法解析 {var} 中的 "{entry}"；格式应为 region=URL，例如 '
        "cn-beijing=http://127.0.0.1:8001/compatible-mode/v1。",
    ),
    "err.base_url": (
        "--base-url must start with https:// (or http:// for a local gateway).",
        "--base-url 必须以 https:// 开头（本地网关可用 http://）。",
    ),
    "err.timeout_value": (
        'DASHSCOPE_SETUP_TIMEOUT must be a number of seconds, not "{value}".',
        'DASHSCOPE_SETUP_TIMEOUT 必须是秒数，而不是 "{value}"。',
    ),
    "err.cmd_unsafe": (
        'This value contains %, !, ^, " or a non-ASCII character, which CMD cannot set safely at a '
        "prompt. Use PowerShell, or the Windows user environment (the default store on Windows).",
        '该值包含 %、!、^、" 或非 ASCII 字符，CMD 命令行无法安全设置。请改用 PowerShell，或使用 Windows 用户环境变量（Windows 上的默认方式）。',
    ),
    "err.store_pending": (
        'The "{store}" store is not available in this version; use --store file (default) or --store inline.',
        '当前版本暂不支持 "{store}" 存储方式；请使用 --store file（默认）或 --store inline。',
    ),
    "err.no_targets": (
        "None of the chosen shells has a startup file to write on this system. Choose another with --shell, "
        "or use --scope session.",
        "所选的 shell 在本系统上都没有可写入的启动文件。请用 --shell 选择其他 shell，或使用 --scope session。",
    ),
    "err.no_stored_key": (
        "No stored key was found. Run `dashscope-setup setup` first.",
        "未找到已保存的密钥。请先运行 `dashscope-setup setup`。",
    ),
    "err.env_inline": (
        "The key was saved inline in your startup files, so new shells already have it; `env` and `run` need the file or keyring store.",
        "密钥以 inline 方式写在启动文件中，新开的 shell 已能读取；`env` 和 `run` 需要 file 或 keyring 存储方式。",
    ),
    "err.env_tty": (
        '`env` prints your key for a shell to evaluate, so it does not print to a terminal. Run: eval "$(dashscope-setup env --shell {shell})"',
        '`env` 输出的是供 shell 执行的密钥赋值语句，因此不会直接打印到终端。请运行：eval "$(dashscope-setup env --shell {shell})"',
    ),
    "err.run_no_command": (
        "Name the command to run, e.g.: dashscope-setup run -- python app.py",
        "请指定要运行的命令，例如：dashscope-setup run -- python app.py",
    ),
    "err.run_not_found": (
        "Cannot start {command}: not found or not executable.",
        "无法启动 {command}：找不到该命令或没有执行权限。",
    ),
    # errors: storing (exit 8)
    "err.readonly": (
        "{path} is read-only, so nothing was written (not the key file either). Make it writable "
        "(chmod u+w) or choose other shells with --shell.",
        "{path} 是只读文件，因此未写入任何内容（包括密钥文件）。请先将其设为可写（chmod u+w），或用 --shell 选择其他 shell。",
    ),
    "err.dir_unwritable": (
        "Cannot write in the folder {path}; nothing was written.",
        "无法写入目录 {path}，未做任何修改。",
    ),
    "err.write_failed": ("Could not write {path}: {reason}.", "无法写入 {path}：{reason}。"),
    "err.unreadable": ("Could not read {path}: {reason}.", "无法读取 {path}：{reason}。"),
    "err.damaged_block": (
        "A dashscope-setup block in a startup file has a start marker without its end marker (or the "
        'reverse). Fix or delete the lines between "# >>> dashscope-setup >>>" and '
        '"# <<< dashscope-setup <<<" and run again; nothing was changed.',
        "启动文件中的 dashscope-setup 区块只有开始标记而没有结束标记（或相反）。请修正或删除 "
        '"# >>> dashscope-setup >>>" 与 "# <<< dashscope-setup <<<" 之间的内容后重试；本次未做任何修改。',
    ),
    "err.internal": (
        "Unexpected internal error ({kind}). Run again with --debug to see details; please report it.",
        "发生意外的内部错误（{kind}）。请加 --debug 重新运行查看详情，并反馈此问题。",
    ),
    "err.interrupted": ("Interrupted. Nothing was changed.", "已中断，未做任何修改。"),
    # notes on the pasted key
    "note.stripped_whitespace": (
        "Removed whitespace around the key.",
        "已去除密钥前后的空白字符。",
    ),
    "note.stripped_quotes": ("Removed the quotes around the key.", "已去除密钥两侧的引号。"),
    "note.stripped_assignment": (
        'Removed the "DASHSCOPE_API_KEY=" in front of the key.',
        '已去除密钥前面的 "DASHSCOPE_API_KEY="。',
    ),
    # warnings
    "warn.wsl": (
        "This is WSL: the settings apply to this Linux environment only, not to Windows programs.",
        "当前是 WSL：这些设置只对此 Linux 环境生效，不影响 Windows 程序。",
    ),
    "warn.coding_plan": (
        "This is a Coding Plan key (sk-sp-…): it works only on the Coding Plan endpoints "
        "(https://coding.dashscope.aliyuncs.com/v1 or https://coding-intl.dashscope.aliyuncs.com/v1), "
        "not on the pay-as-you-go hosts.",
        "这是 Coding Plan 密钥（sk-sp-…）：只能用于 Coding Plan 接入点（https://coding.dashscope.aliyuncs.com/v1 "
        "或 https://coding-intl.dashscope.aliyuncs.com/v1），不能用于按量付费的接入点。",
    ),
    "warn.region_assumed": (
        "The key's region was not checked (--no-test); assuming {region}. Pass --region if your key "
        "belongs to another region.",
        "未检测密钥所属地域（--no-test），默认按 {region} 配置。如果密钥属于其他地域，请使用 --region 指定。",
    ),
    "warn.saved_anyway": (
        "The live check failed, but the key was saved as asked (--save-anyway). Run `dashscope-setup test` once the problem is fixed.",
        "在线检查未通过，但已按要求保存密钥（--save-anyway）。问题解决后请运行 `dashscope-setup test`。",
    ),
    "warn.no_startup_file": (
        "{shell} has no startup file here; it was skipped.",
        "{shell} 在此系统上没有启动文件，已跳过。",
    ),
    "warn.inline_git": (
        "{path} is a symlink into a git work tree: the key written there could be committed and pushed. "
        "Prefer --store file.",
        "{path} 是指向 git 工作区的符号链接：写入其中的密钥可能被提交并推送。建议使用 --store file。",
    ),
    "warn.key_file_kept": (
        "The key file {path} existed before setup, so it was kept.",
        "密钥文件 {path} 在配置前就已存在，因此予以保留。",
    ),
    "warn.nothing_recorded": (
        "Nothing recorded by dashscope-setup was found; nothing to remove.",
        "没有找到 dashscope-setup 的配置记录，无需删除。",
    ),
    # next steps
    "next.new_terminal": (
        "Open a new terminal to use it: terminals and IDEs that are already open (VS Code, Windows "
        "Terminal tabs) keep their old environment until restarted.",
        "请打开新的终端使用：已打开的终端和 IDE（如 VS Code、Windows Terminal 标签页）需重启后才能读取新变量。",
    ),
    "next.this_terminal": ("To use it in this terminal right now, run:", "如需在当前终端立即生效，请运行："),
    "next.session_only": (
        "Nothing was saved. Run the line above in this terminal and paste the key when asked; it lasts "
        "until the terminal closes.",
        "未保存任何内容。请在当前终端运行上面的命令，并按提示粘贴密钥；关闭终端后即失效。",
    ),
    "next.scrub_history": (
        "Your shell history holds a key in {count} place(s). To remove exactly those entries (with a backup): dashscope-setup status --scrub-history",
        "您的 shell 历史记录中有 {count} 处包含密钥。如需精确删除这些条目（会先备份）：dashscope-setup status --scrub-history",
    ),
    "history.hint_scrub": (
        "To remove exactly those entries (with a backup): dashscope-setup status --scrub-history",
        "如需精确删除这些条目（会先备份）：dashscope-setup status --scrub-history",
    ),
    "next.disable_foreign": (
        "{count} line(s) outside our block also set DASHSCOPE_API_KEY and may shadow this setup; `dashscope-setup status` lists them. To comment them out (reversibly, with a backup): add --disable-foreign",
        "有 {count} 行在我们的配置块之外也设置了 DASHSCOPE_API_KEY，可能覆盖本次配置；`dashscope-setup status` 会列出它们。如需注释掉它们（可恢复，会先备份）：加上 --disable-foreign",
    ),
    "next.remove": ("To undo everything: dashscope-setup remove", "如需撤销全部修改：dashscope-setup remove"),
    # the interactive wizard
    "wiz.language": ("Language / 语言", "语言 / Language"),
    "wiz.instr_select": ("(↑/↓ to move, Enter to choose, Esc to quit)", "（↑/↓ 移动，回车确认，Esc 退出）"),
    "wiz.instr_checkbox": (
        "(space to toggle, Enter to confirm, Esc to quit)",
        "（空格选择/取消，回车确认，Esc 退出）",
    ),
    "wiz.need_one": ("Choose at least one.", "请至少选择一项。"),
    "wiz.welcome": (
        "This sets DASHSCOPE_API_KEY up for you: it checks the key with a real call to qwen-plus, keeps it in one "
        "private place (by default ~/.dashscope/api_key, mode 0600) and adds a small marked block to the startup "
        "file of each shell you pick. Nothing is written before you confirm; `dashscope-setup remove` undoes it all.",
        "本向导将为你配置 DASHSCOPE_API_KEY：先用一次真实的 qwen-plus 调用验证密钥，再把密钥保存在一个私密位置"
        "（默认 ~/.dashscope/api_key，权限 0600），并在你选择的每个 shell 的启动文件中加入一个带标记的小区块。"
        "确认之前不会写入任何内容；`dashscope-setup remove` 可撤销全部修改。",
    ),
    "wiz.detected": ("Detected: {os}, current shell {shell}.", "检测到：{os}，当前 shell 为 {shell}。"),
    "os.linux": ("Linux", "Linux"),
    "os.macos": ("macOS", "macOS"),
    "os.windows": ("Windows", "Windows"),
    "wiz.current": ("(current)", "（当前）"),
    "wiz.not_installed": ("not installed", "未安装"),
    "wiz.shells": ("Which shells should get the key?", "要为哪些 shell 配置密钥？"),
    "wiz.key_existing": ("A key is already configured. Use it?", "已经配置过一个密钥，是否继续使用？"),
    "wiz.key_reuse_env": (
        "Use the key in DASHSCOPE_API_KEY: {mask} ({length} characters)",
        "使用 DASHSCOPE_API_KEY 中的密钥：{mask}（{length} 个字符）",
    ),
    "wiz.key_reuse_store": (
        "Use the stored key: {mask} ({length} characters)",
        "使用已保存的密钥：{mask}（{length} 个字符）",
    ),
    "wiz.key_replace": ("Enter a new key", "输入新的密钥"),
    "wiz.key_hint": (
        "Paste your API key (it starts with sk-; the input stays hidden). No key yet? Create one in the console of "
        "your region — it is shown only once:",
        "请粘贴你的 API Key（以 sk- 开头；输入内容不会显示）。还没有密钥？请在所在地域的控制台创建（密钥只显示一次）：",
    ),
    "wiz.key_prompt": ("API key:", "API Key："),
    "wiz.key_received": ("✓ Received {mask} ({length} characters).", "✓ 已收到 {mask}（{length} 个字符）。"),
    "wiz.region": ("Which region does the key belong to?", "密钥属于哪个地域？"),
    "wiz.region_auto": ("Find out automatically (recommended)", "自动检测（推荐）"),
    "wiz.region_custom": (
        "Custom base URL (workspace, finance cloud, gateway)…",
        "自定义接入地址（专属工作空间、金融云、网关）…",
    ),
    "wiz.base_url": ("OpenAI-compatible base URL:", "OpenAI 兼容接入地址："),
    "wiz.region_found": ("✓ The key belongs to {region}.", "✓ 密钥属于{region}。"),
    "wiz.store": ("Where should the key be kept?", "密钥保存在哪里？"),
    "wiz.store_line": ("{label}: {why}", "{label}：{why}"),
    "wiz.store_file": (
        "Key file ~/.dashscope/api_key (recommended)",
        "密钥文件 ~/.dashscope/api_key（推荐）",
    ),
    "wiz.store_file_why": (
        "Mode 0600, readable by you only; the official SDK reads it too. Plain text on disk.",
        "权限 0600，仅你本人可读；官方 SDK 也会读取。以明文保存在磁盘上。",
    ),
    "wiz.store_keyring": ("System keyring", "系统密钥环"),
    "wiz.store_keyring_why": (
        "No plain-text copy on disk; the keyring must be unlocked when a shell starts.",
        "磁盘上没有明文副本；打开 shell 时密钥环需处于解锁状态。",
    ),
    "wiz.store_inline": (
        "Inside the startup file (as the guide does)",
        "直接写在启动文件中（与官方文档相同）",
    ),
    "wiz.store_inline_why": (
        "Simplest, but the key sits in your dotfiles, which may end up in a git repository.",
        "最简单，但密钥会出现在你的配置文件中，而这些文件可能被提交到 git 仓库。",
    ),
    "wiz.scope": ("For how long?", "生效范围？"),
    "wiz.scope_persistent": ("Every new terminal (permanent)", "所有新终端（永久）"),
    "wiz.scope_session": ("This terminal only (nothing is saved)", "仅当前终端（不保存任何内容）"),
    "wiz.summary": ("These changes will be made:", "将进行以下修改："),
    "wiz.confirm": ("Go ahead?", "是否继续？"),
    "wiz.confirm_write": (
        "Check the key with a live call, then write these changes",
        "先用在线调用检查密钥，然后写入这些修改",
    ),
    "wiz.confirm_diff": ("Show the exact changes (diff)", "查看具体修改（diff）"),
    "wiz.confirm_quit": ("Quit without changing anything", "退出，不做任何修改"),
    "wiz.fail_what": ("What now?", "接下来怎么做？"),
    "wiz.fail_key": ("Enter the key again", "重新输入密钥"),
    "wiz.fail_region": ("Pick another region", "选择其他地域"),
    "wiz.fail_save": (
        "Save anyway (check again later with `dashscope-setup test`)",
        "仍然保存（稍后用 `dashscope-setup test` 再检查）",
    ),
    "wiz.fail_quit": ("Quit without changing anything", "退出，不做任何修改"),
    "source.prompt": ("typed in", "手动输入"),
    "wiz.yes": ("Yes", "是"),
    "wiz.no": ("No", "否"),
    # labels
    "label.key": ("Key", "密钥"),
    "label.check": ("Live check", "在线检查"),
    "label.samples": ("Try it in your own code:", "在你自己的代码中试试："),
    "label.reply": ("Reply", "回复"),
    "label.key_value": ("{mask} ({length} characters)", "{mask}（{length} 个字符）"),
    "label.region": ("Region", "地域"),
    "label.store": ("Stored in", "存储位置"),
    "label.store_inline": ("the startup block itself (inline)", "启动文件区块内（inline）"),
    "label.shells": ("Shells", "Shell"),
    "label.changes": ("Changes", "修改"),
    "label.dry_run": (
        "Dry run: nothing was written. This is what would change:",
        "演练模式：未写入任何内容。将会进行以下修改：",
    ),
    "label.done": ("Done.", "完成。"),
    "label.removed_done": ("Removed.", "已删除。"),
    "label.warning": ("Note", "注意"),
    "label.error": ("Error", "错误"),
    "action.created": ("created", "已创建"),
    "action.modified": ("updated", "已更新"),
    "action.unchanged": ("unchanged", "无变化"),
    "action.removed": ("removed", "已删除"),
    "action.would-create": ("would create", "将创建"),
    "action.would-modify": ("would update", "将更新"),
    "action.would-remove": ("would remove", "将删除"),
    "action.will-create": ("will create", "将创建"),
    "action.will-modify": ("will update", "将更新"),
    "action.will-remove": ("will remove", "将删除"),
    "what.key-file": ("key file, mode 0600", "密钥文件，权限 0600"),
    "what.block": ("managed block", "托管区块"),
    "what.owned-file": ("file of its own", "独立配置文件"),
    "label.store_userenv": (
        "the Windows user environment (HKCU\\Environment)",
        "Windows 用户环境变量（HKCU\\Environment）",
    ),
    "what.history": ("shell history", "shell 历史记录"),
    "what.backup": ("backup", "备份"),
    "what.foreign-export": ("line(s) disabled", "已停用的行"),
    "label.sources": ("Sources", "来源"),
    "label.history": ("Shell history", "Shell 历史记录"),
    "region.custom": ("custom endpoint", "自定义接入点"),
    "source.stdin": ("from standard input", "来自标准输入"),
    "source.file": ("from the file {path}", "来自文件 {path}"),
    "source.env": ("from the environment variable DASHSCOPE_API_KEY", "来自环境变量 DASHSCOPE_API_KEY"),
    "source.key-file": ("from the file given with --key-file", "来自 --key-file 指定的文件"),
    "source.keyring": ("from the system keyring", "来自系统密钥环"),
}


@cache
def catalogue() -> dict[str, tuple[str, str]]:
    from wizard.messages.check import MESSAGES as check_messages
    from wizard.messages.keyring import MESSAGES as keyring_messages
    from wizard.messages.status import MESSAGES as status_messages
    from wizard.messages.windows import MESSAGES as windows_messages

    merged = dict(CORE)
    merged.update(check_messages)
    merged.update(keyring_messages)
    merged.update(status_messages)
    merged.update(windows_messages)
    return merged


def t(lang: str, msg_id: str, **params: Any) -> str:
    entry = catalogue().get(msg_id)
    if entry is None:
        return msg_id
    template = entry[1] if lang == "zh" else entry[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
