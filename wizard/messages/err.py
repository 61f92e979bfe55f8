"""Catalogue entries for errors a command stops on: ``err.*`` -> (English, 中文).

Data, not code: long because every sentence is here twice. Each error says what is wrong and the
next step. Errors that belong to one store or platform live with it (keyring.py, windows.py).
Parameters are paths, positions, lengths and names: never the key.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # errors: usage and input (exit 2)
    "err.not_interactive": (
        "This command asks before it changes anything, and there is no terminal here to ask on "
        "(standard input or output is not one). To run it without questions, pass --yes: {example}",
        "此命令在修改之前需要先询问，但这里没有可用于提问的终端（标准输入或输出不是终端）。"
        "如需无提问运行，请加上 --yes：{example}",
    ),
    "err.no_key_source": (
        "No key given, and no stored key to reuse. Pass one of --key-stdin, --key-file PATH or --use-env "
        "(the key is never accepted on the command line).",
        "未提供密钥，也没有可复用的已保存密钥。请使用 --key-stdin、--key-file PATH 或 --use-env 之一"
        "（出于安全考虑，不接受在命令行中直接写密钥）。",
    ),
    "err.usage": ("{detail}", "{detail}"),  # argparse's own text, already in the language (cli/usage.py)
    "err.unknown_command": (
        "unknown command '{name}'; did you mean {suggestion}?",
        "未知命令 '{name}'；您是想用 {suggestion} 吗？",
    ),
    "err.unknown_command_plain": (
        "unknown command '{name}'; the commands are: {commands}",
        "未知命令 '{name}'；可用的命令有：{commands}",
    ),
    "err.key_in_argv": (
        "A key was given on the command line ({mask}); it was not used, and it is not shown here. Keys "
        "are never taken from arguments: other programs can read a command line while it runs, and your "
        "shell has most likely saved this one in its history.\n  {forget}\n  Then give the key with "
        "--key-stdin, --key-file PATH or --use-env, or run {prog} without arguments to paste "
        "it at a hidden prompt.",
        "命令行中写入了密钥（{mask}）；它没有被使用，这里也不会显示。出于安全考虑，不接受在命令行参数中写密钥："
        "命令运行期间其他程序可以读取命令行，而且您的 shell 很可能已把这一行保存进历史记录。\n  {forget}\n  "
        "之后请用 --key-stdin、--key-file PATH 或 --use-env 提供密钥，或不带参数运行 {prog}，"
        "在隐藏输入的提示中粘贴。",
    ),
    "err.completion_shell": (
        "No completion script for {shell}; name one of: {shells} (e.g. {prog} completion bash).",
        "没有适用于 {shell} 的补全脚本；请指定其中之一：{shells}（例如 {prog} completion bash）。",
    ),
    "err.key_sources": (
        "Choose only one of --key-stdin, --key-file and --use-env.",
        "--key-stdin、--key-file、--use-env 只能选择一个。",
    ),
    "err.key_file_unreadable": (
        "Cannot read the key file {path}: {reason}.",
        "无法读取密钥文件 {path}：{reason}。",
    ),
    "err.key_file_not_regular": (
        "The key file {path} is not a regular file (a device, a pipe or a folder). Save the key in a "
        "file, or pipe it in with --key-stdin.",
        "密钥文件 {path} 不是普通文件（而是设备、管道或文件夹）。请把密钥保存到文件中，或用 --key-stdin 通过管道传入。",
    ),
    "err.key_file_too_big": (
        "The key file {path} is larger than {max} bytes: it does not look like a key file.",
        "密钥文件 {path} 超过 {max} 字节，看起来不是密钥文件。",
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
        "The key is only {length} characters long; it looks cut off (DashScope keys have 35 characters — "
        "sk- and 32 letters and digits — or more). Copy the whole key again from the console.",
        "密钥只有 {length} 个字符，看起来被截断了（百炼密钥为 35 个字符——sk- 加 32 位字母和数字——或更长）。"
        "请从控制台重新完整复制密钥。",
    ),
    "err.key_chars": (
        "The key has an unexpected character at position {pos}; keys use letters, digits, '.', '_' and '-'.",
        "密钥第 {pos} 个字符不合法；密钥只包含字母、数字、'.'、'_' 和 '-'。",
    ),
    "err.workspace_invalid": (
        "“{workspace}” is not a workspace id: it must start with a letter or digit and have at most 64 "
        "letters, digits, _ or - (the id shown in the console's workspace list).",
        "“{workspace}”不是有效的业务空间 ID：须以字母或数字开头，最多 64 个字母、数字、_ 或 -"
        "（即控制台业务空间列表中显示的 ID）。",
    ),
    "err.region_needs_workspace": (
        "{region} has no shared endpoint: it is reached only through a workspace host. Pass --workspace ID "
        "(the workspace the key belongs to).",
        "{region} 没有共享接入点，只能通过业务空间专属域名访问。请加上 --workspace ID（密钥所属业务空间的 ID）。",
    ),
    "err.region_override": (
        'Cannot understand "{entry}" in {var}; expected region=URL, e.g. '
        "cn-beijing=http://127.0.0.1:8001/compatible-mode/v1.",
        '无法解析 {var} 中的 "{entry}"；格式应为 region=URL，例如 '
        "cn-beijing=http://127.0.0.1:8001/compatible-mode/v1。",
    ),
    "err.relative_path": (
        "{var} is a relative path; it must be an absolute one (starting with /). Set it to the full path "
        "and run again.",
        "{var} 是相对路径；它必须是绝对路径（以 / 开头）。请设为完整路径后重新运行。",
    ),
    "err.url_malformed": (
        "{source} is not a usable URL: it needs a host name, no spaces, and a port from 1 to 65535 if "
        "it names one.",
        "{source} 不是可用的 URL：需要主机名、不能有空格，端口（如有）须在 1 到 65535 之间。",
    ),
    "err.base_url": (
        "--base-url must start with https:// (or http:// for a local gateway).",
        "--base-url 必须以 https:// 开头（本地网关可用 http://）。",
    ),
    "err.control_char": (
        "{name} contains a control character (a line break, tab or escape) at position {pos}: {value}. "
        "A value written to your startup files must be one line of printable text; nothing was changed.",
        "{name} 的第 {pos} 个字符是控制字符（换行、制表符或转义符）：{value}。"
        "写入启动文件的值必须是一行可打印文本；本次未做任何修改。",
    ),
    "err.url_userinfo": (
        "The URL from {source} holds a user name or password before “@” (host {host}). They would be "
        "printed, saved in your startup files and sent in place of the API key. Remove the part before “@”.",
        "{source} 中的 URL 在 “@” 前带有用户名或密码（主机 {host}）。它们会被显示、写入启动文件，"
        "并代替 API Key 发送。请删除 “@” 之前的部分。",
    ),
    "err.plain_http": (
        "{source} uses plain http:// to {host}: the API key would travel unencrypted and the URL would be "
        "saved for the SDK. Use https://, or, for a mirror you trust, set {var}=1 to allow it "
        "(http:// to this machine — localhost, 127.0.0.1, ::1 — is always allowed).",
        "{source} 使用明文 http:// 连接 {host}：API 密钥将以未加密方式传输，且该 URL 会被保存供 SDK 使用。"
        "请改用 https://；如确需使用可信的镜像，请设置 {var}=1 以允许"
        "（连接本机的 http://，即 localhost、127.0.0.1、::1，始终允许）。",
    ),
    "err.timeout_value": (
        'DASHSCOPE_SETUP_TIMEOUT must be a number of seconds above 0 and at most {max}, not "{value}".',
        'DASHSCOPE_SETUP_TIMEOUT 必须是大于 0 且不超过 {max} 的秒数，而不是 "{value}"。',
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
        "No stored key was found. Run `{prog} setup` first.",
        "未找到已保存的密钥。请先运行 `{prog} setup`。",
    ),
    "err.inline_unreadable": (
        "The key was saved inline in your startup files, but their dashscope-setup blocks no longer hold one key (a block was edited, or holds another key). Set it up again: `{prog} setup`.",
        "密钥以 inline 方式写在启动文件中，但其中的 dashscope-setup 区块已不再包含唯一的密钥（区块被手动修改，或包含另一个密钥）。请重新配置：`{prog} setup`。",
    ),
    "err.env_tty": (
        "`env` prints your key for a shell to evaluate, so it does not print to a terminal. Run: {line}",
        "`env` 输出的是供 shell 执行的密钥赋值语句，因此不会直接打印到终端。请运行：{line}",
    ),
    "err.run_no_command": (
        "Name the command to run, e.g.: {prog} run -- python app.py",
        "请指定要运行的命令，例如：{prog} run -- python app.py",
    ),
    "err.run_not_found": (
        "Cannot start {command}: command not found. Check the name, or give its full path.",
        "无法启动 {command}：找不到该命令。请检查命令名，或写出完整路径。",
    ),
    "err.run_not_executable": (
        "Cannot start {command}: permission denied (it is a folder, or a file without execute "
        "permission: chmod +x it, or run it with its interpreter).",
        "无法启动 {command}：没有权限（它是一个文件夹，或是没有执行权限的文件：请用 chmod +x 添加权限，或用其解释器运行）。",
    ),
    "err.run_not_a_program": (
        "Cannot start {command}: {reason} (a script needs a #! line, or run it with its interpreter, "
        "e.g. sh {command}).",
        "无法启动 {command}：{reason}（脚本需要以 #! 行开头，或用其解释器运行，例如 sh {command}）。",
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
    "err.key_file_link": (
        "The key file {path} is a symbolic link. The key is only written into a file of its own: "
        "remove the link (or point DASHSCOPE_API_KEY_FILE_PATH elsewhere) and run again. Nothing was changed.",
        "密钥文件 {path} 是一个符号链接。密钥只会写入独立的文件：请删除该链接（或让 "
        "DASHSCOPE_API_KEY_FILE_PATH 指向别处）后重试。本次未做任何修改。",
    ),
    "err.key_file_not_key": (
        "{path} already exists and holds something other than an API key; it will not be overwritten. "
        "Point DASHSCOPE_API_KEY_FILE_PATH at a new file, or move this one aside. Nothing was changed.",
        "{path} 已存在，且其内容不是 API 密钥，因此不会覆盖它。请让 DASHSCOPE_API_KEY_FILE_PATH "
        "指向一个新文件，或将该文件移开。本次未做任何修改。",
    ),
    "err.block_syntax": (
        "With the dashscope-setup block added, the shell would no longer read {path} without a syntax "
        "error (it did before), so it was not changed. Please report this; nothing was changed.",
        "加入 dashscope-setup 区块后，shell 读取 {path} 时会出现语法错误（加入前没有），因此未修改该文件。"
        "请反馈此问题；本次未做任何修改。",
    ),
    "err.symlink_loop": (
        "{path} is a symbolic link that leads back to itself; fix or delete the link and run again. "
        "Nothing was changed.",
        "{path} 是一个指回自身的符号链接（循环链接）；请修正或删除该链接后重试。本次未做任何修改。",
    ),
    "err.not_a_dir": (
        "{path} is a file, but a folder is needed there to write into; move it aside and run again. "
        "Nothing was changed.",
        "{path} 是一个文件，但这里需要一个可写入的文件夹；请将其移开后重试。本次未做任何修改。",
    ),
    "err.write_failed": ("Could not write {path}: {reason}.", "无法写入 {path}：{reason}。"),
    "err.unreadable": ("Could not read {path}: {reason}.", "无法读取 {path}：{reason}。"),
    "err.damaged_block": (
        "A dashscope-setup block in {path} has a start marker without its end marker (or the "
        'reverse). Fix or delete the lines between "# >>> dashscope-setup >>>" and '
        '"# <<< dashscope-setup <<<" and run again; nothing was changed.',
        "{path} 中的 dashscope-setup 区块只有开始标记而没有结束标记（或相反）。请修正或删除 "
        '"# >>> dashscope-setup >>>" 与 "# <<< dashscope-setup <<<" 之间的内容后重试；本次未做任何修改。',
    ),
    "err.edited_block": (
        "The dashscope-setup block at line {line} of {path} was changed by hand since it was written: "
        "replacing or removing it would lose that change. Move your lines outside the "
        '"# >>> dashscope-setup >>>" … "# <<< dashscope-setup <<<" markers, or delete the block\'s '
        '"checksum" line to let dashscope-setup replace the block as it is; then run again. Nothing was changed.',
        "{path} 第 {line} 行的 dashscope-setup 配置块在写入后被手动修改过，替换或删除它会丢失这些修改。"
        '请把您的内容移到 "# >>> dashscope-setup >>>" 与 "# <<< dashscope-setup <<<" 标记之外，'
        "或删除该配置块中含“checksum”的那一行，以允许 dashscope-setup 按原样替换它；然后重试。本次未做任何修改。",
    ),
    "err.split_block": (
        "{path} has several dashscope-setup blocks with other lines between them (line {line}). Those lines "
        "may have been written inside our block, so they are not touched: delete everything from the first "
        '"# >>> dashscope-setup >>>" to the last "# <<< dashscope-setup <<<" yourself, keeping only lines you '
        "wrote, and run again; nothing was changed.",
        "{path} 中有多个 dashscope-setup 区块，区块之间夹有其他内容（第 {line} 行）。这些内容可能原本位于我们的区块内，"
        '因此不做改动：请手动删除从第一个 "# >>> dashscope-setup >>>" 到最后一个 "# <<< dashscope-setup <<<" '
        "之间的内容（只保留您自己写的行）后重试；本次未做任何修改。",
    ),
    "err.internal": (
        "Unexpected internal error ({kind}). Run again with --debug to see details; please report it.",
        "发生意外的内部错误（{kind}）。请加 --debug 重新运行查看详情，并反馈此问题。",
    ),
    "err.interrupted": ("Interrupted. Nothing was changed.", "已中断，未做任何修改。"),
    "err.interrupted_after": (
        "Interrupted after the changes below were made. They are recorded: `{prog} remove` undoes them.",
        "在完成下列修改之后被中断。这些修改均已记录：`{prog} remove` 可撤销它们。",
    ),
    "err.busy": (
        "Another dashscope-setup is changing {home} and has not finished; nothing was changed. Run "
        "again when it is done.",
        "另一个 dashscope-setup 正在修改 {home}，尚未完成；本次未做任何修改。请等它结束后重试。",
    ),
}
