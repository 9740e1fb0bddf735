"""``python -m serving [app.py] [streamlit run options]``: the app with the serving tweaks.

Each tweak is in ``serving.tweaks`` with the reason and the measurement behind it. Set
``SERVING_TWEAKS=none`` (or a comma list such as ``nodelay,downloads``) to compare with
plain Streamlit under ``bench/load.py``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    from serving import tweaks

    script = "app.py"
    if argv and not argv[0].startswith("-"):
        script, argv = argv[0], argv[1:]
    tweaks.apply(os.environ.get("SERVING_TWEAKS", "all"))
    if os.environ.get("PDF_POOL_EAGER", "1") == "1":  # workers up (font loaded) before the first PDF
        import threading

        from serving import pdf_pool

        threading.Thread(target=pdf_pool.start, name="pdf-pool-start", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", script, *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":  # guarded: the PDF pool's workers import this module as __mp_main__
    main(sys.argv[1:])
