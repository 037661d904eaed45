import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # Document parsing runs in child processes (engine.retrieval.isolated): in the frozen bundle a child
    # re-enters here, and freeze_support() turns it into the child instead of a second app.
    multiprocessing.freeze_support()
    sys.exit(main())
