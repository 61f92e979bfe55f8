"""Catalogue entries for what a command adds to its result: notes on the pasted key (``note.*``),
warnings (``warn.*``) and next steps (``next.*``) -> (English, 中文).

Data, not code. Parameters are paths, counts, shell and region names: never the key.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # notes on the pasted key
    "note.stripped_whitespace": (
        "Removed whitespace around the key.",
        "已去除密钥前后的空白字符。",
    ),
    "note.stripped_quotes": ("Removed the quotes around the key.", "已去除密钥两侧的引号。"),
    "note.stripped_assignment": (
        'Removed "{prefix}" in front of the key.',
        '已去除密钥前面的 "{prefix}"。',
    ),
    "note.stripped_bearer": (
        'Removed the "Bearer " in front of the key (copied from an Authorization header).',
        '已去除密钥前面的 "Bearer "（从 Authorization 请求头复制而来）。',
    ),
    "note.maybe_truncated": (
        "This key is shorter than the usual 35 characters (sk- and 32 hexadecimal digits): if the check "
        "rejects it, copy the whole key again from the console.",
        "此密钥短于常见的 35 个字符（sk- 加 32 位十六进制数字）：如果检查未通过，请从控制台重新完整复制密钥。",
    ),
    # warnings
    "warn.wsl": (
        "This is WSL: the settings apply to this Linux environment only, not to Windows programs.",
        "当前是 WSL：这些设置只对此 Linux 环境生效，不影响 Windows 程序。",
    ),
    "warn.coding_plan": (
        "This is a plan key (sk-sp-…: Coding Plan or Token Plan): it works only on its plan's own endpoint "
        "(https://coding.dashscope.aliyuncs.com/v1, https://coding-intl.dashscope.aliyuncs.com/v1, "
        "https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1 or "
        "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1), not on the pay-as-you-go "
        "hosts, and a Coding Plan key only in interactive coding tools.",
        "这是套餐密钥（sk-sp-…，Coding Plan 或 Token Plan）：只能用于所属套餐的专属接入点"
        "（https://coding.dashscope.aliyuncs.com/v1、https://coding-intl.dashscope.aliyuncs.com/v1、"
        "https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1 或 "
        "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1），不能用于按量付费的接入点；"
        "Coding Plan 密钥只能在交互式编程工具中使用。",
    ),
    "warn.region_assumed": (
        "Offline (--offline): neither the key nor its region was checked; assuming {region}. Pass "
        "--region if your key belongs to another region.",
        "离线模式（--offline）：未验证密钥及其所属地域，默认按 {region} 配置。如果密钥属于其他地域，请使用 --region 指定。",
    ),
    "warn.region_unreachable": (
        "No region could be reached to find the key's region, so neither the key nor its region was "
        "checked; assuming {region}. Pass --region if your key belongs to another region.",
        "无法连接任何地域来确定密钥所属地域，因此未验证密钥及其所属地域，默认按 {region} 配置。"
        "如果密钥属于其他地域，请使用 --region 指定。",
    ),
    "warn.saved_anyway": (
        "The live check failed, but the key was saved as asked (--save-anyway). Run `{prog} test` once the problem is fixed.",
        "在线检查未通过，但已按要求保存密钥（--save-anyway）。问题解决后请运行 `{prog} test`。",
    ),
    "warn.saved_anyway_chosen": (
        "The live check failed, but the key was saved, as you chose. Run `{prog} test` once the problem is fixed.",
        "在线检查未通过，但已按你的选择保存密钥。问题解决后请运行 `{prog} test`。",
    ),
    "warn.session_anyway": (
        "The live check failed, but the lines for this terminal are printed as asked (--save-anyway). Run `{prog} test` in that terminal once the problem is fixed.",
        "在线检查未通过，但已按要求打印用于此终端的命令（--save-anyway）。问题解决后请在该终端中运行 `{prog} test`。",
    ),
    "warn.session_anyway_chosen": (
        "The live check failed, but the lines for this terminal are printed, as you chose. Run `{prog} test` in that terminal once the problem is fixed.",
        "在线检查未通过，但已按你的选择打印用于此终端的命令。问题解决后请在该终端中运行 `{prog} test`。",
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
    "warn.old_key_file": (
        "The key now lives in another store, but the old key file {path} still holds a key on disk. "
        "Delete it if nothing else needs it.",
        "密钥现已保存在其他位置，但旧的密钥文件 {path} 仍在磁盘上保存着密钥。如无其他用途，请将其删除。",
    ),
    "warn.partly_written": (
        "Setup stopped after making the changes listed above; they are recorded, and "
        "`{prog} remove` undoes them.",
        "配置在完成上面列出的修改后中止；这些修改均已记录，`{prog} remove` 可撤销它们。",
    ),
    "warn.inline_readable": (
        "{path} can be read by other users of this machine, and the key is written into it. Make it "
        "private (chmod 600 {path}) or prefer --store file.",
        "其他用户可以读取 {path}，而密钥将写入其中。请将其设为私有（chmod 600 {path}），或改用 --store file。",
    ),
    "warn.key_file_unrecorded": (
        "A key file exists at {path}, but there is no record that dashscope-setup created it, so it was "
        "kept. Delete it yourself if you no longer need it.",
        "{path} 处存在密钥文件，但没有记录表明它由 dashscope-setup 创建，因此予以保留。如不再需要，请自行删除。",
    ),
    "warn.key_file_changed": (
        "The key file {path} no longer holds just a key, so it was kept. Delete it yourself if you no "
        "longer need it.",
        "密钥文件 {path} 中已不只是密钥，因此予以保留。如不再需要，请自行删除。",
    ),
    "warn.key_file_kept": (
        "The key file {path} existed before setup, so it was kept.",
        "密钥文件 {path} 在配置前就已存在，因此予以保留。",
    ),
    "warn.key_kept": (
        "The key stays in {path}, as you chose. Delete it yourself when you no longer need it.",
        "按你的选择，密钥仍保留在 {path}。不再需要时请自行删除。",
    ),
    # next steps
    "next.new_terminal": (
        "New terminals get it; those already open, and IDEs such as VS Code, need a restart.",
        "新打开的终端会自动获得；已打开的终端和 IDE（如 VS Code）需重启后才能读取。",
    ),
    "next.this_terminal": ("To use it in this terminal right now, run:", "如需在当前终端立即生效，请运行："),
    "next.session_only": (
        "Nothing was saved. Run the line above in this terminal and paste the key when asked; it lasts "
        "until the terminal closes.",
        "未保存任何内容。请在当前终端运行上面的命令，并按提示粘贴密钥；关闭终端后即失效。",
    ),
    "next.session_only_lines": (
        "Nothing was saved. Run the lines above in this terminal and paste the key when the first one asks "
        "for it; they last until the terminal closes.",
        "未保存任何内容。请在当前终端依次运行上面的命令，并在第一条提示时粘贴密钥；关闭终端后即失效。",
    ),
    "next.scrub_history": (
        "Your shell history holds a key in {count} place(s). To remove exactly those entries (with a backup): {prog} status --scrub-history",
        "您的 shell 历史记录中有 {count} 处包含密钥。如需精确删除这些条目（会先备份）：{prog} status --scrub-history",
    ),
    "next.disable_foreign": (
        "{count} line(s) outside our block also set DASHSCOPE_API_KEY and may shadow this setup; `{prog} status` lists them. To comment them out (reversibly, with a backup): add --disable-foreign",
        "有 {count} 行在我们的配置块之外也设置了 DASHSCOPE_API_KEY，可能覆盖本次配置；`{prog} status` 会列出它们。如需注释掉它们（可恢复，会先备份）：加上 --disable-foreign",
    ),
    "next.unset_open": (
        "Terminals that are already open still hold the key until they are closed. To drop it from one "
        "now, run there:",
        "已打开的终端在关闭之前仍持有该密钥。如需立即从某个终端中清除，请在其中运行：",
    ),
    "next.remove": ("To undo everything: {prog} remove", "如需撤销全部修改：{prog} remove"),
    # the end of a setup (ui/render.end_screen)
    "end.done": (
        "{done} Key {mask}, {region}, stored in {where}, for {shells}.",
        "{done}密钥 {mask}，{region}，保存于 {where}，用于 {shells}。",
    ),
    "end.done_no_shells": (
        "{done} Key {mask}, {region}, stored in {where}.",
        "{done}密钥 {mask}，{region}，保存于 {where}。",
    ),
    "end.unchecked": ("{what} (not checked)", "{what}（未验证）"),
    "end.assumed": ("{what} (assumed, not checked)", "{what}（默认值，未验证）"),
    "end.samples": (
        "Sample code (Python, Node.js, curl): {prog} samples",
        "示例代码（Python、Node.js、curl）：{prog} samples",
    ),
    "end.more_notes": (
        "{count} more note(s) not shown: `{prog} status` lists what is left to fix, and -v shows every detail.",
        "另有 {count} 条提示未显示：`{prog} status` 会列出仍需处理的问题，-v 可显示全部细节。",
    ),
}
