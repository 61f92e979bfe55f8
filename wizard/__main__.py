from __future__ import annotations

import sys

if __name__ == "__main__":
    try:
        from wizard.entry import main
    except KeyboardInterrupt:  # Ctrl-C at start-up: see entry.main
        sys.exit(130)
    sys.exit(main())
