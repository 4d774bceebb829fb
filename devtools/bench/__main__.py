"""`python -m devtools.bench`, what `make bench` runs."""

from devtools.bench.cli import main

raise SystemExit(main())
