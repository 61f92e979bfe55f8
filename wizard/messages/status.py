"""Catalogue entries for `status`, history hygiene and migration: ``status.*``, ``history.*``,
``migrate.*`` -> (English, 中文). Data, not code: long because every sentence is here twice.

Parameters are paths, line numbers, modes, masks, counts and scenario names: never a key.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- status: the summary ----------------------------------------------------------------------
    # {prog} is the program as the user started it; {command} a whole command in their shell's syntax.
    "status.none": (
        "No DASHSCOPE_API_KEY is configured anywhere. To set it up, run: {prog}",
        "没有在任何位置找到 DASHSCOPE_API_KEY。如需配置，请运行：{prog}",
    ),
    "status.key": ("Key: {mask} — {where}", "密钥：{mask} —— {where}"),
    "status.key_ours": (
        "Key: {mask} — {where} (saved by dashscope-setup)",
        "密钥：{mask} —— {where}（由 dashscope-setup 保存）",
    ),
    "status.region": ("Region: {region} — {base_url}", "地域：{region} —— {base_url}"),
    "status.region_unknown": (
        "Region: not recorded. To find out which region the key belongs to, run: {prog} test",
        "地域：未记录。如需查明密钥所属地域，请运行：{prog} test",
    ),
    "status.reach": ("New terminals get it: {names}", "新开的终端会得到它：{names}"),
    "status.reach_here": (
        "New terminals get it: {names}; this terminal has it too.",
        "新开的终端会得到它：{names}；当前终端也已有它。",
    ),
    "status.reach_none": (
        "No startup file sets it: new terminals do not get DASHSCOPE_API_KEY. To add it, run: {prog}",
        "没有启动文件设置它：新开的终端不会得到 DASHSCOPE_API_KEY。如需添加，请运行：{prog}",
    ),
    "status.reach_sdk": (
        "No startup file sets it: programs using the dashscope SDK read the key file, but new terminals do "
        "not get DASHSCOPE_API_KEY. To add it, run: {prog}",
        "没有启动文件设置它：使用 dashscope SDK 的程序会读取密钥文件，但新开的终端不会得到 DASHSCOPE_API_KEY。如需添加，请运行：{prog}",
    ),
    "status.uncertain": (
        "For {scenarios} this assumes a condition in the startup files holds; check in a new terminal.",
        "对于{scenarios}，以上判断假设启动文件中的某个条件成立；请在新终端中确认。",
    ),
    "status.fingerprint_note": (
        "Fingerprint: the first 8 hex digits of the key's SHA-256; the same fingerprint means the same key. "
        'Compare by hand: printf %s "$DASHSCOPE_API_KEY" | sha256sum | cut -c1-8',
        '指纹：密钥 SHA-256 的前 8 位十六进制，指纹相同即为同一密钥。可手动比对：printf %s "$DASHSCOPE_API_KEY" | sha256sum | cut -c1-8',
    ),
    "status.conflict": (
        "{count} different keys are configured; new shells may not get the one you expect:",
        "配置了 {count} 个不同的密钥，新开的 shell 拿到的可能不是您预期的那个：",
    ),
    "status.conflict_item": (
        "{mask} (fingerprint {fingerprint}) in: {sources}",
        "{mask}（指纹 {fingerprint}）位于：{sources}",
    ),
    "status.conflict_item_plain": ("{mask} in: {sources}", "{mask} 位于：{sources}"),
    # --- status: kinds of new shell (a ".macos." entry replaces the plain one on macOS) ------------
    "status.scenario.bash": ("new bash terminals", "新的 bash 终端"),
    "status.scenario.bash-login": ("bash login shells (ssh, console)", "bash 登录 shell（ssh、控制台）"),
    "status.scenario.macos.bash-login": (
        "bash in Terminal.app and ssh (login shells)",
        "Terminal.app 和 ssh 中的 bash（登录 shell）",
    ),
    "status.scenario.bash-login-noninteractive": (
        "bash -lc (scripts, IDE tasks)",
        "bash -lc（脚本、IDE 任务）",
    ),
    "status.scenario.sh-login": ("sh login shells", "sh 登录 shell"),
    "status.scenario.zsh": ("new zsh terminals", "新的 zsh 终端"),
    "status.scenario.zsh-login": ("zsh login shells (ssh, console)", "zsh 登录 shell（ssh、控制台）"),
    "status.scenario.macos.zsh-login": (
        "zsh in Terminal.app and ssh (login shells)",
        "Terminal.app 和 ssh 中的 zsh（登录 shell）",
    ),
    "status.scenario.zsh-noninteractive": ("zsh -c (scripts)", "zsh -c（脚本）"),
    "status.scenario.fish": ("new fish terminals", "新的 fish 终端"),
    "status.scenario.fish-noninteractive": ("fish -c (scripts)", "fish -c（脚本）"),
    "status.scenario.powershell": ("new PowerShell windows", "新的 PowerShell 窗口"),
    "status.scenario.windows": (
        "new Windows programs (user environment)",
        "新启动的 Windows 程序（用户环境变量）",
    ),
    "status.scenario.sdk": (
        "a program started from here (dashscope SDK order)",
        "从当前终端启动的程序（按 dashscope SDK 的查找顺序）",
    ),
    "status.kind.env": ("this terminal's environment", "当前终端的环境变量"),
    "status.kind.block": (
        "dashscope-setup block in {path}, line {line}",
        "{path} 第 {line} 行的 dashscope-setup 配置块",
    ),
    "status.kind.assignment": ("{path}, line {line}", "{path} 第 {line} 行"),
    "status.kind.unset": ("{path}, line {line} (removes the variable)", "{path} 第 {line} 行（删除该变量）"),
    "status.kind.fish-universal": ("fish universal variable ({path})", "fish 通用变量（{path}）"),
    "status.kind.key-file": ("key file {path}", "密钥文件 {path}"),
    "status.kind.keyring": ("system keyring", "系统密钥环"),
    "status.kind.dotenv": ("{path}, line {line}", "{path} 第 {line} 行"),
    "status.kind.registry": ("Windows {scope} environment", "Windows {scope} 环境变量"),
    "status.kind.literal": ("{path}, line {line} (key-like text)", "{path} 第 {line} 行（疑似密钥的文本）"),
    "status.kind.disabled": ("{path}, line {line} (disabled)", "{path} 第 {line} 行（已停用）"),
    "status.store.file": ("loads the key file {key_file}", "读取密钥文件 {key_file}"),
    "status.store.inline": ("holds the key itself", "直接包含密钥"),
    "status.store.keyring": ("loads the key from the system keyring", "从系统密钥环读取密钥"),
    "status.base_url": (
        "base URL from the environment: {name} = {value}",
        "环境变量中的服务地址：{name} = {value}",
    ),
    # --- status: warnings --------------------------------------------------------------------------
    "status.warn.plaintext": (
        "{path} line {line} holds the key in plain text. If this file is in a dotfiles repository, the key "
        "may already be public.",
        "{path} 第 {line} 行以明文保存了密钥。如果该文件位于 dotfiles 仓库中，密钥可能已经公开。",
    ),
    "status.warn.plaintext_many": (
        "These lines hold the key in plain text: {places}. If the files are in a dotfiles repository, the key "
        "may already be public.",
        "以下位置以明文保存了密钥：{places}。如果这些文件位于 dotfiles 仓库中，密钥可能已经公开。",
    ),
    "status.warn.crlf": (
        "{path} line {line} ends with a Windows line ending (CR): the shell keeps it as part of the key, which "
        "the service then rejects. Convert the file to Unix line endings (e.g. dos2unix).",
        "{path} 第 {line} 行以 Windows 换行符（CR）结尾：shell 会把它当作密钥的一部分，导致服务拒绝该密钥。请将文件转换为 Unix 换行格式（如 dos2unix）。",
    ),
    "status.warn.dynamic": (
        "{path} line {line} computes the key when the shell starts ($(…), $VAR…); its value is only known then.",
        "{path} 第 {line} 行在 shell 启动时计算密钥（$(…)、$VAR 等），其值只有届时才能确定。",
    ),
    "status.warn.block_file_missing": (
        "The startup block loads {path}, which does not exist: new shells get no key from it.",
        "启动配置块读取的 {path} 不存在：新开的 shell 无法从中获得密钥。",
    ),
    "status.warn.damaged_block": (
        "The dashscope-setup block in {path} is damaged (a start marker without its end, or the reverse). "
        "Setup and remove leave that file alone until the markers are fixed by hand.",
        "{path} 中的 dashscope-setup 配置块已损坏（开始与结束标记不成对）。在手动修复标记之前，setup 与 remove 都不会改动该文件。",
    ),
    "status.warn.edited_block": (
        "The dashscope-setup block at line {line} of {path} was changed by hand since it was written. Setup "
        "and remove leave that file alone (they would lose the change): move your lines outside the markers, "
        'or delete the block\'s "checksum" line to let dashscope-setup replace the block as it is.',
        "{path} 第 {line} 行的 dashscope-setup 配置块在写入后被手动修改过。setup 与 remove 不会改动该文件（否则会丢失这些修改）："
        "请把您的内容移到标记之外，或删除该配置块中含“checksum”的那一行，以允许 dashscope-setup 按原样替换它。",
    ),
    "status.warn.unparsed": (
        "Could not fully follow the shell syntax of {path} (near line {line}); the prediction for it is a guess.",
        "无法完整解析 {path} 的 shell 语法（第 {line} 行附近），对该文件的判断仅为推测。",
    ),
    "status.warn.literal": (
        "{path} line {line} contains key-like text (in a comment, alias or other command).",
        "{path} 第 {line} 行包含疑似密钥的文本（位于注释、别名或其他命令中）。",
    ),
    "status.warn.disabled": (
        "{path} line {line} was disabled by dashscope-setup but still holds the key in plain text; "
        "delete the line once you no longer need it.",
        "{path} 第 {line} 行已被 dashscope-setup 停用，但仍以明文保存着密钥；确认不再需要后请删除该行。",
    ),
    "status.warn.key_file_mode": (
        "The key file {path} has mode {mode}: other users can read it. Run: chmod 600 {path}",
        "密钥文件 {path} 的权限为 {mode}，其他用户可以读取。请运行：chmod 600 {path}",
    ),
    "status.warn.key_file_dir": (
        "{path} is a directory, not a key file; the SDK cannot read a key from it.",
        "{path} 是一个目录而不是密钥文件，SDK 无法从中读取密钥。",
    ),
    "status.warn.key_file_unreadable": (
        "Cannot read the key file {path}: {reason}.",
        "无法读取密钥文件 {path}：{reason}。",
    ),
    "status.warn.key_file_empty": ("The key file {path} is empty.", "密钥文件 {path} 是空的。"),
    "status.warn.key_file_lines": (
        "The key file {path} holds more than one line or word; the SDK would read all of it as the key.",
        "密钥文件 {path} 包含多行或多个词，SDK 会把全部内容当作密钥读取。",
    ),
    "status.warn.key_file_whitespace": (
        "The key file {path} has spaces or a Windows line ending (CR) around the key; shells that `read` it "
        "would keep them. Save it again with: {prog}",
        "密钥文件 {path} 中密钥两侧有空格或 Windows 换行符（CR），用 `read` 读取的 shell 会保留它们。请运行 {prog} 重新保存。",
    ),
    "status.warn.key_file_shadowed": (
        "{path} is ignored: DASHSCOPE_API_KEY_FILE_PATH points to {env_path}.",
        "{path} 不会被使用：DASHSCOPE_API_KEY_FILE_PATH 指向 {env_path}。",
    ),
    "status.warn.key_file_path_missing": (
        "DASHSCOPE_API_KEY_FILE_PATH points to {path}, which does not exist.",
        "DASHSCOPE_API_KEY_FILE_PATH 指向的 {path} 不存在。",
    ),
    "status.warn.dotenv": (
        "{path} line {line} holds a key. Programs that load .env files use it; make sure .env is in .gitignore.",
        "{path} 第 {line} 行包含密钥。加载 .env 的程序会使用它；请确认 .env 已加入 .gitignore。",
    ),
    "status.warn.fish_universal": (
        "fish keeps a universal DASHSCOPE_API_KEY in plain text in {path} (set -Ux). Remove it with: "
        "set -e -U DASHSCOPE_API_KEY",
        "fish 在 {path} 中以明文保存了通用变量 DASHSCOPE_API_KEY（set -Ux）。可用以下命令删除：set -e -U DASHSCOPE_API_KEY",
    ),
    "status.warn.keyring_error": (
        "The system keyring could not be read ({error}); a key stored there is not shown.",
        "无法读取系统密钥环（{error}），其中保存的密钥未能显示。",
    ),
    "status.warn.registry_error": (
        "The Windows {scope} environment could not be read ({error}).",
        "无法读取 Windows {scope} 环境变量（{error}）。",
    ),
    "status.warn.winners_differ": (
        "Different kinds of shell end up with different keys ({count}).",
        "不同类型的 shell 最终拿到了不同的密钥（{count} 个）。",
    ),
    "status.warn.env_only": (
        "The key {mask} is only in this terminal's environment: new terminals will not have it. To keep it, "
        "run: {prog}",
        "密钥 {mask} 只存在于当前终端的环境变量中，新开的终端将没有它。如需保留，请运行：{prog}",
    ),
    "status.warn.not_exported": (
        "{scenarios}: {source} sets the variable without exporting it; programs started from that shell "
        "(Python, Node) will not see it.",
        "{scenarios}：{source} 设置了变量但没有 export，从该 shell 启动的程序（Python、Node）看不到它。",
    ),
    "status.warn.terminal_old_key": (
        "This terminal still has another key ({old_mask}): open a new terminal, or run: {command}",
        "当前终端仍是另一个密钥（{old_mask}）：请打开新终端，或运行：{command}",
    ),
    "status.warn.terminal_old_key_reopen": (
        "This terminal still has another key ({old_mask}): open a new terminal to get {mask}.",
        "当前终端仍是另一个密钥（{old_mask}）：请打开新终端以使用 {mask}。",
    ),
    "status.note.terminal_missing": (
        "This terminal does not have it yet: open a new terminal, or run: {command}",
        "当前终端还没有它：请打开新终端，或运行：{command}",
    ),
    "status.note.terminal_missing_reopen": (
        "This terminal does not have it yet: open a new terminal.",
        "当前终端还没有它：请打开新终端。",
    ),
    "status.warn.not_set": (
        "{scenarios}: no key. To add it there, run: {prog}",
        "{scenarios}：没有密钥。如需添加，请运行：{prog}",
    ),
    "status.warn.other_key": (
        "{scenarios}: a different key, {mask}, from {source}. If the key above is the one you want, remove "
        "that setting.",
        "{scenarios}：得到的是另一个密钥 {mask}，来自 {source}。如果上面的密钥才是您想用的，请删除这处设置。",
    ),
    "status.note.computed": (
        "{scenarios}: the key is computed at start-up by {source}; its value is known only then.",
        "{scenarios}：密钥在启动时由 {source} 计算得出，其值届时才能确定。",
    ),
    "status.warn.not_read": (
        "{path} line {line} sets the key, but no shell reads that line at startup.",
        "{path} 第 {line} 行设置了密钥，但没有任何 shell 在启动时执行这一行。",
    ),
    # --- history -----------------------------------------------------------------------------------
    "history.found": (
        "Your shell history holds a key in {count} place(s):",
        "您的 shell 历史记录中有 {count} 处包含密钥：",
    ),
    "history.item": ("{path}, line(s) {lines}: {masks}", "{path} 第 {lines} 行：{masks}"),
    "history.none": ("No key found in shell history.", "shell 历史记录中没有发现密钥。"),
    "history.hint_scrub": (
        "To remove exactly those entries (with a backup): {prog} status --scrub-history",
        "如需精确删除这些条目（会先备份）：{prog} status --scrub-history",
    ),
    "history.ask_scrub": (
        "Remove these entries from the history files? Nothing else in the files changes.",
        "是否从历史文件中删除这些条目？文件中的其他内容不会改变。",
    ),
    "history.scrubbed": ("Removed {count} entr(ies) from {path}.", "已从 {path} 删除 {count} 条记录。"),
    "history.backup_has_key": (
        "The original was backed up to {path} (mode 0600). That copy still holds the key: delete it once "
        "you have checked the history.",
        "原文件已备份到 {path}（权限 0600）。该备份仍包含密钥，检查无误后请删除它。",
    ),
    "history.open_shells": (
        "Shells that are open now keep the line in memory and may write it back when they exit: close them, "
        "or in bash run `history -c`, then check again.",
        "当前已打开的 shell 仍在内存中保留着该记录，退出时可能会重新写回：请关闭它们（或在 bash 中运行 `history -c`），然后再检查一次。",
    ),
    "history.rotate": (
        "A key that was in a history file may have been copied elsewhere (backups, sync). Consider creating "
        "a new key in the console and deleting this one.",
        "历史文件中的密钥可能已被复制到其他地方（备份、同步）。建议在控制台创建新密钥并删除旧密钥。",
    ),
    "history.err.busy": (
        "{path} kept changing while we edited it (a shell is writing to it). Close other terminals and try again.",
        "编辑期间 {path} 一直在变化（有 shell 正在写入）。请关闭其他终端后重试。",
    ),
    # --- migration ---------------------------------------------------------------------------------
    "migrate.found": (
        "These lines set DASHSCOPE_API_KEY outside the dashscope-setup block:",
        "以下行在 dashscope-setup 配置块之外设置了 DASHSCOPE_API_KEY：",
    ),
    "migrate.item": ("{path}, line {line}: {mask}", "{path} 第 {line} 行：{mask}"),
    "migrate.item_dynamic": (
        "{path}, line {line}: computed when the shell starts",
        "{path} 第 {line} 行：在 shell 启动时计算",
    ),
    "migrate.compound": (
        "Line {line} of {path} also does other things; disabling it disables all of it.",
        "{path} 第 {line} 行还包含其他命令，停用它会一并停用这些命令。",
    ),
    "migrate.ask": (
        "Disable them (they are commented out, not deleted, and can be restored)?",
        "是否停用它们？（只是注释掉而非删除，可以恢复）",
    ),
    "migrate.done": ("Disabled {count} line(s) in {path}.", "已在 {path} 中停用 {count} 行。"),
    "migrate.still_plaintext": (
        "The disabled lines still hold the key in plain text; delete them once the new setup works.",
        "被停用的行仍以明文保存着密钥；确认新配置可用后请删除这些行。",
    ),
    "migrate.restore_hint": (
        'To undo, remove the "# disabled by dashscope-setup: " prefix from those lines, or restore the backup {backup}.',
        "如需撤销，请删除这些行开头的“# disabled by dashscope-setup: ”前缀，或恢复备份 {backup}。",
    ),
    "migrate.err.syntax": (
        "Disabling the lines would break the shell syntax of {path}; it was left unchanged. Edit it by hand.",
        "停用这些行会破坏 {path} 的 shell 语法，已保持原样。请手动修改。",
    ),
    "migrate.err.changed": (
        "{path} changed since it was checked; it was left unchanged. Run the command again.",
        "{path} 在检查之后被修改过，已保持原样。请重新运行该命令。",
    ),
}
