from xlperf.cli import main

raise SystemExit(main())
