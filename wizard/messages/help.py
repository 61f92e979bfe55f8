"""Catalogue entries for `--help`: the top-level overview (``help.overview.*``), one line per command
for it (``help.summary.<command>``), argparse's texts per command (``help.cmd.<command>``) and per
option (``help.opt.<option>``) -> (English, 中文).

Data, not code. The overview is answered without argparse, so it is built from these entries and
the command table alone. ``{model}`` is the default model, filled in by the parser.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the overview: `dashscope-setup --help` --------------------------------------------------
    "help.overview.usage": (
        "usage: dashscope-setup [COMMAND] [OPTIONS]",
        "用法: dashscope-setup [命令] [选项]",
    ),
    "help.overview.about": (
        "Set up DASHSCOPE_API_KEY (Alibaba Cloud Model Studio / 百炼) in every shell, safely,\n"
        "and prove it works.",
        "为阿里云百炼（Model Studio / DashScope）配置 DASHSCOPE_API_KEY：所有 shell 通用、安全，\n"
        "并通过一次在线调用验证可用。",
    ),
    "help.overview.commands": ("commands:", "命令:"),
    "help.overview.globals": (
        "global options (before or after the command):\n"
        "  --lang {zh,en}   language of messages (default: from LC_ALL, LC_MESSAGES or LANG)\n"
        "  --config PATH    a team file (TOML; default: $DASHSCOPE_SETUP_CONFIG): the team's region or\n"
        "                   gateway, workspace, model, allowed stores, shells, language; flags override it\n"
        "  --json           print one JSON object on stdout (human text goes to stderr)\n"
        "  -q, --quiet      print errors only (the exit code says the rest)\n"
        "  -v, --verbose    setup: every detail above the short end screen\n"
        "  --debug          show tracebacks of internal errors\n"
        "  -h, --help       this overview; `COMMAND --help` for a command's options\n"
        "  -V, --version    print the version",
        "全局选项（可放在命令之前或之后）:\n"
        "  --lang {zh,en}   提示信息的语言（默认取自 LC_ALL、LC_MESSAGES 或 LANG）\n"
        "  --config PATH    团队配置文件（TOML；默认取自 $DASHSCOPE_SETUP_CONFIG）：团队统一的地域或网关、\n"
        "                   业务空间、模型、允许的存储方式、shell、语言；命令行参数优先\n"
        "  --json           在标准输出打印一个 JSON 对象（说明文字输出到标准错误）\n"
        "  -q, --quiet      只输出错误（其余由退出码表示）\n"
        "  -v, --verbose    setup：在简短的结束信息之上列出全部细节\n"
        "  --debug          显示内部错误的调用栈\n"
        "  -h, --help       显示本概览；`命令 --help` 查看该命令的选项\n"
        "  -V, --version    显示版本号",
    ),
    "help.overview.examples": (
        "examples:\n"
        "  dashscope-setup\n"
        "  printf '%s\\n' \"$KEY\" | dashscope-setup setup --yes --key-stdin --json\n"
        "  dashscope-setup snippet --shell fish\n"
        "  dashscope-setup samples python > hello.py\n"
        "  dashscope-setup --lang zh status\n"
        '  eval "$(dashscope-setup completion bash)"',
        "示例:\n"
        "  dashscope-setup\n"
        "  printf '%s\\n' \"$KEY\" | dashscope-setup setup --yes --key-stdin --json\n"
        "  dashscope-setup snippet --shell fish\n"
        "  dashscope-setup samples python > hello.py\n"
        "  dashscope-setup --lang zh status\n"
        '  eval "$(dashscope-setup completion bash)"',
    ),
    "help.overview.footer": (
        "The key is never taken from the command line. `dashscope-setup COMMAND --help` lists a\n"
        "command's options and exit codes. Exit codes: 0 ok, 2 usage, 3 key rejected, 4 account,\n"
        "5 model, 6 rate limited, 7 network, 8 could not store, 9 no key configured,\n"
        "126/127 (run) command not executable/not found, 130 interrupted.",
        "出于安全考虑，不接受在命令行中直接写密钥。`dashscope-setup 命令 --help` 可查看该命令的选项和退出码。\n"
        "退出码：0 成功，2 用法错误，3 密钥被拒绝，4 账号问题，5 模型问题，6 限流，7 网络问题，\n"
        "8 无法保存，9 未配置密钥，126/127（run）命令无法执行/找不到，130 已中断。",
    ),
    # --- one line per command in the overview ----------------------------------------------------
    "help.summary.setup": (
        "configure the key (the default command; interactive on a terminal)",
        "配置密钥（默认命令；在终端中为交互式向导）",
    ),
    "help.summary.test": ("check the configured key with a live call", "用在线调用检查当前配置的密钥"),
    "help.summary.status": (
        "show where a key is configured, which one wins, keys left in history",
        "显示密钥配置在哪里、哪一个生效，以及残留在历史中的密钥",
    ),
    "help.summary.snippet": (
        "print the lines for a shell and scope; write nothing",
        "打印某个 shell 的配置代码，不写入任何文件",
    ),
    "help.summary.samples": (
        "print Python, Node.js and curl code that calls the configured region",
        "打印调用已配置地域的 Python、Node.js 和 curl 示例代码",
    ),
    "help.summary.env": (
        'print the session lines from the stored key: eval "$(dashscope-setup env)"',
        '根据已保存的密钥输出会话赋值语句：eval "$(dashscope-setup env)"',
    ),
    "help.summary.run": (
        "run a command with the stored key in its environment only: run -- CMD ...",
        "运行命令，仅在其环境中注入已保存的密钥：run -- CMD ...",
    ),
    "help.summary.remove": ("undo exactly what dashscope-setup wrote", "撤销 dashscope-setup 写入的全部内容"),
    "help.summary.completion": (
        "print tab completion for bash, zsh or fish: completion bash",
        "打印 bash、zsh 或 fish 的 Tab 补全脚本：completion bash",
    ),
    "help.summary.help": (
        "this overview, or a command's options: help setup",
        "显示本概览，或某个命令的选项：help setup",
    ),
    # --- argparse: the program and each command ----------------------------------------------------
    "help.prog": (
        "Set up DASHSCOPE_API_KEY (Alibaba Cloud Model Studio / 百炼) in every shell, safely.",
        "为百炼（DashScope）配置 DASHSCOPE_API_KEY：适用于所有 shell，安全可靠。",
    ),
    "help.cmd.setup": (
        "configure the key (default command). On a terminal where a setup exists, it offers to keep it "
        "(checked, nothing written), replace the key, change region, store or shells, or remove it. With "
        "--yes and no key option, the key an earlier setup stored is reused (to rewrite the blocks or "
        "change the region).",
        "配置密钥（默认命令）。在终端中若已有配置，可选择保持不变（仅检查，不写入）、更换密钥、修改地域、"
        "保存位置或 shell，或将其移除。使用 --yes 且未指定密钥来源时，复用之前配置保存的密钥（用于重写配置块或更换地域）。",
    ),
    "help.cmd.test": (
        "check the configured key with a live call, and say where it came from",
        "用在线调用检查当前配置的密钥，并说明密钥来自哪里",
    ),
    "help.cmd.status": (
        "show where a key is configured, which one a new shell gets, and keys left in shell history",
        "显示密钥配置在哪里、新开的 shell 会得到哪一个，以及残留在 shell 历史中的密钥",
    ),
    "help.cmd.snippet": (
        "print the lines for a shell and scope; write nothing",
        "打印某个 shell 的配置代码，不写入任何文件",
    ),
    "help.cmd.samples": (
        "print the guide's first call as Python, Node.js and curl code, for the region, workspace or "
        "base URL the last setup saved; the key comes from DASHSCOPE_API_KEY, never written out. "
        "`samples python > hello.py` writes a file that runs",
        "打印官方指南中的首次调用示例（Python、Node.js 和 curl），使用上次配置保存的地域、业务空间或 "
        "base URL；密钥从 DASHSCOPE_API_KEY 读取，不会写在代码里。`samples python > hello.py` 即得到可运行的文件",
    ),
    "help.cmd.env": (
        'print the session lines from the stored key, for eval "$(dashscope-setup env)"',
        '根据已保存的密钥输出会话赋值语句，用于 eval "$(dashscope-setup env)"',
    ),
    "help.cmd.run": (
        "run a command with the stored key in its environment only: run -- CMD ...",
        "运行一个命令，仅在其环境中注入已保存的密钥：run -- CMD ...",
    ),
    "help.cmd.remove": (
        "undo exactly what dashscope-setup wrote. On a terminal it lists what will go (the key last) and "
        "asks, and you may keep the key; without a terminal pass --yes (else exit 2). Exit 0 also when "
        "there is nothing to remove.",
        "撤销 dashscope-setup 写入的全部内容。在终端中会先列出将删除的内容（密钥列在最后）并询问，可选择保留密钥；"
        "非终端环境下需加 --yes（否则退出码为 2）。没有可删除的内容时退出码同样为 0。",
    ),
    # --- argparse: each command's exit codes, under its options --------------------------------------
    "help.exit.setup": (
        "exit codes: 0 saved; 2 usage error or bad key; 3 key rejected; 4 account problem; 5 model not "
        "available; 6 rate limited; 7 network; 8 could not store; 130 interrupted; 1 internal error.",
        "退出码：0 已保存；2 用法错误或密钥格式错误；3 密钥被拒绝；4 账号问题；5 模型不可用；6 限流；7 网络问题；"
        "8 无法保存；130 已中断；1 内部错误。",
    ),
    "help.exit.test": (
        "exit codes: 0 the key works; 3 key rejected; 4 account problem; 5 model not available; 6 rate "
        "limited; 7 network; 9 no key configured; 2 usage error; 130 interrupted; 1 internal error.",
        "退出码：0 密钥可用；3 密钥被拒绝；4 账号问题；5 模型不可用；6 限流；7 网络问题；9 未配置密钥；2 用法错误；"
        "130 已中断；1 内部错误。",
    ),
    "help.exit.status": (
        "exit codes: 0 a key is configured (problems are reported, not an error); 9 no key is configured; "
        "with --live, 3-7 as for test; with --check, 10 this machine does not comply (instead of 9 and "
        "3-7; 0 when it does); with --scrub-history, 8 if a history file cannot be written; "
        "2 usage error or a bad team file; 130 interrupted; 1 internal error.",
        "退出码：0 已配置密钥（发现的问题只报告，不算错误）；9 未配置密钥；使用 --live 时 3-7 同 test；"
        "使用 --check 时本机不符合要求为 10（取代 9 和 3-7；符合时为 0）；"
        "使用 --scrub-history 时无法写入历史文件为 8；2 用法错误或团队配置文件有误；130 已中断；1 内部错误。",
    ),
    "help.exit.snippet": (
        "exit codes: 0 printed; 2 usage error; 1 internal error.",
        "退出码：0 已输出；2 用法错误；1 内部错误。",
    ),
    "help.exit.samples": (
        "exit codes: 0 printed; 2 usage error; 1 internal error.",
        "退出码：0 已输出；2 用法错误；1 内部错误。",
    ),
    "help.exit.env": (
        "exit codes: 0 printed; 9 no key is stored; 2 usage error (e.g. stdout is a terminal); 1 internal error.",
        "退出码：0 已输出；9 没有已保存的密钥；2 用法错误（例如标准输出是终端）；1 内部错误。",
    ),
    "help.exit.run": (
        "exit codes: the command's own (128+N when signal N ends it); 127 command not found; 126 found but "
        "not executable; 9 no key is stored; 2 usage error; 1 internal error.",
        "退出码：命令自身的退出码（被信号 N 结束时为 128+N）；127 找不到命令；126 找到但无法执行；9 没有已保存的密钥；"
        "2 用法错误；1 内部错误。",
    ),
    "help.exit.remove": (
        "exit codes: 0 removed, or nothing to remove; 8 a file could not be changed; 2 usage error (also: "
        "no terminal to ask and no --yes); 130 interrupted or declined; 1 internal error.",
        "退出码：0 已删除或无需删除；8 有文件无法修改；2 用法错误（包括无终端可询问且未加 --yes）；130 已中断或取消；1 内部错误。",
    ),
    "help.cmd.completion": (
        "print the tab-completion script for a shell (default: the one you are in). Load it with "
        'eval "$(dashscope-setup completion bash)" in ~/.bashrc, eval "$(dashscope-setup completion zsh)" '
        "in ~/.zshrc after compinit, or dashscope-setup completion fish | source in "
        "~/.config/fish/config.fish",
        "打印某个 shell 的 Tab 补全脚本（默认：当前 shell）。加载方法：在 ~/.bashrc 中写 "
        'eval "$(dashscope-setup completion bash)"；在 ~/.zshrc 中 compinit 之后写 '
        'eval "$(dashscope-setup completion zsh)"；在 ~/.config/fish/config.fish 中写 '
        "dashscope-setup completion fish | source",
    ),
    "help.exit.completion": (
        "exit codes: 0 printed; 2 usage error (e.g. a shell it has no script for); 1 internal error.",
        "退出码：0 已输出；2 用法错误（例如没有该 shell 的补全脚本）；1 内部错误。",
    ),
    # --- argparse: each option ---------------------------------------------------------------------
    "help.opt.live": ("also check the configured key with a live call", "同时用在线调用检查当前配置的密钥"),
    "help.opt.scrub_history": (
        "remove the shell-history entries that hold a key (a backup is kept)",
        "删除 shell 历史中包含密钥的条目（会保留备份）",
    ),
    "help.opt.disable_foreign": (
        "comment out other DASHSCOPE_API_KEY lines in startup files (reversible, backed up)",
        "注释掉启动文件中其他设置 DASHSCOPE_API_KEY 的行（可恢复，会先备份）",
    ),
    "help.opt.openai_env": (
        "also set OPENAI_API_KEY and OPENAI_BASE_URL in the blocks, for tools that only speak OpenAI "
        "(redirects every OpenAI client in those shells; --no-openai-env takes them out again)",
        "同时在配置块中设置 OPENAI_API_KEY 与 OPENAI_BASE_URL，供只支持 OpenAI 的工具使用"
        "（会让这些 shell 中所有 OpenAI 客户端都改连 DashScope；--no-openai-env 可再移除）",
    ),
    "help.opt.dotenv": (
        "also write the key and base URL into this .env file (or DIR/.env), in a marked block, 0600; "
        "refused inside a git work tree unless git ignores it",
        "同时把密钥和 Base URL 写入此 .env 文件（或 DIR/.env），位于标记块中，权限 0600；"
        "在 git 工作区内，除非 git 已忽略该文件，否则拒绝写入",
    ),
    "help.opt.gitignore": (
        "with --dotenv: add the .env to the .gitignore beside it when git does not ignore it yet",
        "与 --dotenv 同用：若 git 尚未忽略该 .env，则把它加入同目录的 .gitignore",
    ),
    "help.opt.qwen_code": (
        "also add this key's endpoint to Qwen Code (~/.qwen/settings.json, modelProviders.openai): "
        "the entry names DASHSCOPE_API_KEY, never the key itself",
        "同时把此密钥的端点加入 Qwen Code（~/.qwen/settings.json 的 modelProviders.openai）："
        "条目只写变量名 DASHSCOPE_API_KEY，从不写入密钥本身",
    ),
    "help.opt.key_stdin": ("read the key from standard input (one line)", "从标准输入读取密钥（一行）"),
    "help.opt.key_file": ("read the key from a file", "从文件读取密钥"),
    "help.opt.use_env": (
        "use the DASHSCOPE_API_KEY already set in this environment",
        "使用当前环境中已设置的 DASHSCOPE_API_KEY",
    ),
    "help.opt.region": (
        "the key's region (default: auto); also accepted: {aliases}",
        "密钥所属地域（默认：auto 自动）；也可写作：{aliases}",
    ),
    "help.opt.help": ("show this help and exit", "显示此帮助并退出"),
    "help.opt.version": ("print the version and exit", "显示版本号并退出"),
    "help.opt.completion_shell": (
        "bash, zsh or fish (default: the shell you are in)",
        "bash、zsh 或 fish（默认：当前 shell）",
    ),
    "help.opt.workspace": (
        "a workspace id: use its dedicated host ID.REGION.maas.aliyuncs.com (needed for "
        "eu-central-1 and ap-northeast-1)",
        "业务空间 ID：使用其专属域名 ID.REGION.maas.aliyuncs.com（eu-central-1 与 ap-northeast-1 必需）",
    ),
    "help.opt.base_url": (
        "a custom OpenAI-compatible base URL (disables region detection)",
        "自定义 OpenAI 兼容接入地址（不再自动检测地域）",
    ),
    "help.opt.shell": (
        "shell to configure; repeatable (default: auto)",
        "要配置的 shell，可重复指定（默认：auto）",
    ),
    "help.opt.scope": ("this terminal only, or permanent (default)", "仅当前终端，或永久生效（默认）"),
    "help.opt.store": (
        "where the key lives (default: file; on Windows userenv, the user environment)",
        "密钥的存储位置（默认：file；Windows 上默认 userenv，即用户环境变量）",
    ),
    "help.opt.snippet_store": (
        "where the key lives (default: where the last setup saved it, else file)",
        "密钥的存储位置（默认：上次配置保存的位置，否则为 file）",
    ),
    "help.opt.model": (
        "model for the test call (default: {model})",
        "测试调用使用的模型（默认：{model}）",
    ),
    "help.opt.no_test": (
        "skip the test call (no tokens used); the key's region is still found with GET /models",
        "跳过测试调用（不消耗 token）；仍会通过 GET /models 确定密钥所属地域",
    ),
    "help.opt.offline": (
        "make no request at all: the key is not checked, and without --region the region is assumed "
        "(China (Beijing))",
        "不发出任何请求：不验证密钥；未指定 --region 时按默认地域（华北2（北京））配置",
    ),
    "help.opt.save_anyway": ("save even if the live check fails", "即使在线检查失败也保存"),
    "help.opt.dry_run": ("show the changes as diffs, write nothing", "以 diff 形式显示修改，不写入"),
    "help.opt.json": ("print one JSON object on stdout", "在标准输出打印一个 JSON 对象"),
    "help.opt.quiet": (
        "print errors only (the exit code tells the rest; --json output is unchanged)",
        "只输出错误信息（其余由退出码表示；--json 的输出不变）",
    ),
    "help.opt.verbose": (
        "setup: print every detail (the key's source, the base URL, each file changed) above the short "
        "end screen",
        "setup：在简短的结束信息之上列出全部细节（密钥来源、base URL、每个被修改的文件）",
    ),
    "help.opt.sample": (
        "python, node or curl: print only that one (default: all three)",
        "python、node 或 curl：只打印这一种（默认：三种都打印）",
    ),
    "help.opt.sample_shell": (
        "write the curl line for this shell (default: the shell you are in)",
        "按此 shell 的语法输出 curl 命令（默认：当前 shell）",
    ),
    "help.opt.lang": ("language of messages", "提示信息的语言"),
    "help.opt.config": (
        "a team file (TOML) with the team's defaults; flags override it (default: $DASHSCOPE_SETUP_CONFIG)",
        "团队配置文件（TOML），提供团队统一的默认值；命令行参数优先（默认取自 $DASHSCOPE_SETUP_CONFIG）",
    ),
    "help.opt.check": (
        "exit 10 and list each deviation (with its fix) when this machine does not comply with the team "
        "file, or has no key, conflicting keys or an edited block",
        "当本机不符合团队配置文件，或没有密钥、密钥冲突、配置块被改动时，以退出码 10 结束，并列出每处偏差及修复方法",
    ),
    "help.opt.yes": ("never ask; use flags and defaults", "不提问，使用参数和默认值"),
    "help.opt.debug": ("show tracebacks of internal errors", "显示内部错误的调用栈"),
}
