"""``python -m serving.cluster``: several app processes behind nginx, restarted when they die.

What ``make serve`` runs. It starts ``SERVE_PROCS`` (default 2) app processes with
``python -m serving`` on 127.0.0.1 ports after ``PORT`` (all with the same ``cookieSecret``),
writes nginx's configuration from ``deploy/nginx.conf.in`` into ``SERVE_RUN`` (default
``.run/serve``) and runs nginx on ``SERVE_HOST:PORT`` (default 127.0.0.1:8501) with sticky
sessions. An app process that exits is started again on its port (nginx sends its visitors to
the others meanwhile); stop everything with Ctrl-C or SIGTERM. ``SERVE_RUN/app.pids`` lists the
app processes' ids (for ``bench/load.py --pids-file``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.in"


def inline_script_hashes() -> str:
    """CSP hashes of the inline scripts in the installed Streamlit's index.html."""
    import base64
    import hashlib
    import re

    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    return " ".join("'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
                    for b in bodies)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Cluster:
    def __init__(self, procs: int, host: str, port: int, run: Path, app: str = "app.py"):
        self.procs, self.host, self.port, self.run, self.app = procs, host, port, run, app
        self.ports = [port + 1 + i for i in range(procs)]
        self.apps: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self.restarts = 0
        self.stopping = False
        secret_file = run / "cookie_secret"
        run.mkdir(parents=True, exist_ok=True)
        if not secret_file.exists():  # one secret shared by every process (XSRF, cookies)
            secret_file.write_text(secrets.token_hex(32))
            secret_file.chmod(0o600)
        self.secret = secret_file.read_text().strip()

    # -- app processes --------------------------------------------------------------------
    def start_app(self, port: int) -> None:
        env = dict(os.environ, STREAMLIT_SERVER_COOKIE_SECRET=self.secret)
        # the CPUs shared out: each process's PDF pool gets its part (at least one worker)
        env.setdefault("PDF_WORKERS", str(max(1, (os.cpu_count() or 1) // self.procs)))
        log = (self.run / f"app-{port}.log").open("ab")
        self.apps[port] = subprocess.Popen(
            [sys.executable, "-m", "serving", self.app, "--server.port", str(port),
             "--server.address", "127.0.0.1"],  # only nginx reaches the app processes
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.write_pids()

    def write_pids(self) -> None:
        (self.run / "app.pids").write_text(",".join(str(p.pid) for p in self.apps.values()))

    def wait_healthy(self, port: int, timeout: float = 90) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return True
            except OSError:
                pass
            if self.apps[port].poll() is not None:
                return False
            time.sleep(0.2)
        return False

    # -- nginx ----------------------------------------------------------------------------
    def nginx_conf(self) -> Path:
        # max_fails=0: a process is never set aside for a while after a failure. A dead one
        # refuses at once and that request goes on to the next (proxy_next_upstream); set
        # aside, its visitors' route would move for some seconds after it is back, and a
        # session made elsewhere meanwhile would then fetch its downloads from the wrong process
        # (a 404, which chromium calls a canceled download).
        upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in self.ports)
        listen = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        text = (TEMPLATE.read_text().replace("@RUN@", str(self.run))
                .replace("@UPSTREAMS@", upstreams).replace("@LISTEN@", listen)
                .replace("@SCRIPT_HASHES@", inline_script_hashes()))
        conf = self.run / "nginx.conf"
        conf.write_text(text)
        return conf

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise SystemExit("nginx is missing: apt-get install -y nginx-light (or nginx)")
        conf = self.nginx_conf()
        subprocess.run([nginx, "-t", "-q", "-p", str(self.run), "-c", str(conf)], check=True)
        log = (self.run / "nginx.log").open("ab")
        self.nginx = subprocess.Popen([nginx, "-p", str(self.run), "-c", str(conf)],
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        for port in self.ports:
            self.start_app(port)
        for port in self.ports:
            if not self.wait_healthy(port):
                self.stop()
                raise SystemExit(f"app process on port {port} did not start: see {self.run}/app-{port}.log")
        self.start_nginx()
        print(f"serving on http://{self.host}:{self.port} ({self.procs} app processes, "
              f"ports {self.ports[0]}-{self.ports[-1]}; logs in {self.run})", flush=True)

    def watch(self) -> None:
        while not self.stopping:
            for port, proc in list(self.apps.items()):
                if proc.poll() is not None and not self.stopping:
                    print(f"app process on port {port} exited ({proc.returncode}): restarting",
                          flush=True)
                    # what it started (its PDF pool's fork server and workers, ~450 MB each)
                    # lives on in its process group when it dies hard: ended with it
                    self.end_group(proc)
                    self.restarts += 1
                    self.start_app(port)
            if self.nginx is not None and self.nginx.poll() is not None and not self.stopping:
                print("nginx exited: restarting", flush=True)
                self.start_nginx()
            time.sleep(0.5)

    @staticmethod
    def end_group(proc: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    def stop(self, *_args) -> None:
        self.stopping = True
        procs = list(self.apps.values()) + ([self.nginx] if self.nginx else [])
        for proc in procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    cluster = Cluster(procs=_env_int("SERVE_PROCS", 2), host=os.environ.get("SERVE_HOST", "127.0.0.1"),
                      port=_env_int("PORT", 8501),
                      run=Path(os.environ.get("SERVE_RUN", ROOT / ".run" / "serve")).resolve())

    def on_signal(*_args) -> None:
        cluster.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    cluster.start()
    cluster.watch()


if __name__ == "__main__":
    main()
