"""Allow ``python -m handouts``."""

from handouts.cli import main

if __name__ == "__main__":  # not when a worker process (serve's copies) imports it
    main()
