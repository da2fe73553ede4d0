"""`python -m generator.cli`: the same as the `crmproof` command."""

from . import main

main()
