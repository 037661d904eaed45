"""`reflex-assistant gui`: start the desktop app (a bare `reflex-assistant` runs this too)."""

from __future__ import annotations

import argparse

from app.context import AppContext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="start the desktop app (the default command)")
    p.add_argument("--init", dest="init", action="store_true", default=True,
                   help="with no store yet, run the first-run setup (default)")
    p.add_argument("--no-init", dest="init", action="store_false",
                   help="fail instead of running first-run setup when there is no store (scripts)")
    p.add_argument("--first-run-demo", action="store_true",
                   help="first-run setup preselects the demo workspace (`make run`)")
    p.add_argument("--quick-ask", action="store_true",
                   help="open the quick-ask popup (in the running app if there is one): bind this to a desktop "
                        "keyboard shortcut for a system-wide hotkey")
    p.add_argument("url", nargs="?", default="",
                   help="a reflex:// link to open (e.g. reflex://email/12 from an Asana task); desktops pass it here")
    p.set_defaults(handler=run_gui)


def run_gui(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.gui import launch

    return launch(ctx, init_if_missing=args.init, quick_ask=args.quick_ask, prefer_demo=args.first_run_demo,
                  open_url=args.url)
