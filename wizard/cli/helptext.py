"""The top-level `--help`: static text in both languages, so it costs no imports.

tests/test_cli.py checks that it names every command the parser knows.
"""

from __future__ import annotations

_EN = """\
usage: dashscope-setup [COMMAND] [OPTIONS]

Set up DASHSCOPE_API_KEY (Alibaba Cloud Model Studio / 百炼) in every shell, safely,
and prove it works.

commands:
  setup      configure the key (the default command; interactive on a terminal)
  test       check the configured key with a live call
  status     show where a key is configured, which one wins, keys left in history
  snippet    print the lines for a shell and scope; write nothing
  env        print the session lines from the stored key: eval "$(dashscope-setup env)"
  run        run a command with the stored key in its environment only: run -- CMD ...
  remove     undo exactly what dashscope-setup wrote

examples:
  dashscope-setup
  printf '%s\\n' "$KEY" | dashscope-setup setup --yes --key-stdin --json
  dashscope-setup snippet --shell fish

The key is never taken from the command line. `dashscope-setup COMMAND --help` lists a
command's options. Exit codes: 0 ok, 2 usage, 3 key rejected, 4 account, 5 model,
6 rate limited, 7 network, 8 could not store, 130 interrupted.
"""

_ZH = """\
用法: dashscope-setup [命令] [选项]

为阿里云百炼（Model Studio / DashScope）配置 DASHSCOPE_API_KEY：所有 shell 通用、安全，
并通过一次在线调用验证可用。

命令:
  setup      配置密钥（默认命令；在终端中为交互式向导）
  test       用在线调用检查当前配置的密钥
  status     显示密钥配置在哪里、哪一个生效，以及残留在历史中的密钥
  snippet    打印某个 shell 的配置代码，不写入任何文件
  env        根据已保存的密钥输出会话赋值语句：eval "$(dashscope-setup env)"
  run        运行命令，仅在其环境中注入已保存的密钥：run -- CMD ...
  remove     撤销 dashscope-setup 写入的全部内容

示例:
  dashscope-setup
  printf '%s\\n' "$KEY" | dashscope-setup setup --yes --key-stdin --json
  dashscope-setup snippet --shell fish

出于安全考虑，不接受在命令行中直接写密钥。`dashscope-setup 命令 --help` 可查看该命令的选项。
退出码：0 成功，2 用法错误，3 密钥被拒绝，4 账号问题，5 模型问题，6 限流，7 网络问题，
8 无法保存，130 已中断。
"""


def overview(lang: str) -> str:
    return _ZH if lang == "zh" else _EN
