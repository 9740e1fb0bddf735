"""How the app is served: a launcher with server-wide tweaks, and the PDF worker pool.

``python -m serving [app.py] [streamlit options]`` applies the tweaks of ``serving.tweaks`` and
then runs Streamlit's own ``streamlit run``. ``make run`` and ``make serve`` use it. Nothing here
decides a scheme rule; ``scheme/`` never imports this package.
"""
