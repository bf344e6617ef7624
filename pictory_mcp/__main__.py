"""`python -m pictory_mcp` is the same as the `pictory-mcp` command."""

import sys

from pictory_mcp.cli import main

sys.exit(main())
