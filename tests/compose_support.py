"""Helpers for tests/test_compose.py: Docker on this machine, local stand-ins for the public images,
and the repository's docker-compose.yml run as users run it.

- Docker: Debian's docker.io, docker-compose (1.29) and debootstrap are installed with apt when
  missing (as root); `dockerd` is started when none answers and stopped again by the one who
  started it. Only where Docker cannot run at all (no root to install or start it, a daemon that
  does not come up, a kernel that cannot run a container) does the test skip, with the reason.
- Stand-ins (public images cannot be pulled here): a Debian bookworm base from debootstrap with
  python3, python3-venv and ca-certificates, plus this machine's pip CA bundle and pip index
  settings (so that `pip install` in a build works where the host's does); Redis from Debian's
  redis-server and Flower from PyPI on that base. They are passed to the compose file through its
  image variables (BASE_IMAGE, REDIS_IMAGE, FLOWER_IMAGE): nothing is tagged with a public image's
  name, so a developer's real `redis:7-alpine` is never shadowed. Each is cached under a tag keyed
  by a hash of its inputs (`guide-workflow-standin/<name>:<hash>`); older tags of the same name
  are removed when a new one is built. The product image's dependency layer (requirements.lock
  installed) is kept the same way, so that a build after a code change installs nothing again.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO, copy_project

HERE = Path(__file__).resolve().parent
STANDIN_DIR = HERE / "compose"
STANDIN_REPO = "guide-workflow-standin"
SUITE = "bookworm"                                     # python3 3.11, like python:3.11-slim
BASE_PACKAGES = ("python3", "python3-venv", "ca-certificates")
BASE_RECIPE = "1"                                      # bump when base_image() changes what it builds
APT_PACKAGES = ("docker.io", "docker-compose", "debootstrap")
BUILD_FILES = ("Dockerfile", ".dockerignore", "docker-compose.yml", "pyproject.toml", "setup.py",
               "worker.py", "requirements.lock")
IMAGE_UID = 1000                                       # the Dockerfile's `workflow` user
LOCK_PATH = Path(tempfile.gettempdir()) / "guide-workflow-standin.lock"


_config = None


def use_terminal(config) -> None:
    """Show progress on pytest's terminal, past its output capture (the builds take a while)."""
    global _config
    _config = config


def log(message: str) -> None:
    terminal = _config.pluginmanager.getplugin("terminalreporter") if _config else None
    capture = _config.pluginmanager.getplugin("capturemanager") if _config else None
    if terminal is None:
        print(f"[compose] {message}", file=sys.stderr, flush=True)
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        terminal.write_line(f"[compose] {message}")


def skip(reason: str):
    """Skip, saying why on the terminal at once (pytest's -ra summary repeats it at the end)."""
    log(f"SKIPPED: {reason}")
    pytest.skip(reason)


def run(argv, timeout: float = 300, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    proc = subprocess.run([str(a) for a in argv], timeout=timeout, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} exited {proc.returncode}:\n"
                             f"{(proc.stdout or '')[-3000:]}\n{(proc.stderr or '')[-3000:]}")
    return proc


# -- Docker on this machine --------------------------------------------------------------------

def _docker_binary() -> str | None:
    # Debian's client matches Debian's daemon; another client earlier on PATH may be newer than it
    for candidate in ("/usr/bin/docker", shutil.which("docker")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _missing_tools() -> list[str]:
    wanted = {"docker": _docker_binary(), "dockerd": shutil.which("dockerd") or shutil.which("/usr/sbin/dockerd"),
              "docker-compose": shutil.which("docker-compose"), "debootstrap": shutil.which("debootstrap")
              or shutil.which("/usr/sbin/debootstrap")}
    return [name for name, path in wanted.items() if not path]


def install_tools() -> None:
    """apt-get install docker.io docker-compose debootstrap when any of their commands is missing."""
    missing = _missing_tools()
    if not missing:
        return
    if os.geteuid() != 0:
        skip(f"Docker cannot run here: {', '.join(missing)} missing and not root to install "
                    f"{' '.join(APT_PACKAGES)}")
    if not shutil.which("apt-get"):
        skip(f"Docker cannot run here: {', '.join(missing)} missing and no apt-get to install them")
    log(f"installing {' '.join(APT_PACKAGES)} with apt-get ({', '.join(missing)} missing)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update"], timeout=600, env=env)
    run(["apt-get", "install", "-y", "--no-install-recommends", *APT_PACKAGES], timeout=900, env=env)
    still = _missing_tools()
    assert not still, f"apt-get installed {APT_PACKAGES} but {still} are still missing"


class Docker:
    """The Docker daemon: the one already running, or one this object starts (and stops)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.binary = _docker_binary()
        self.proc: subprocess.Popen | None = None
        self.log_path = folder / "dockerd.log"

    def __call__(self, *args, timeout: float = 300, check: bool = True, **kwargs):
        return run([self.binary, *args], timeout=timeout, check=check, **kwargs)

    def answers(self) -> bool:
        try:
            return self("info", "--format", "{{.ServerVersion}}", timeout=20, check=False).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def start(self) -> "Docker":
        if self.answers():
            log("using the Docker daemon already running (it is left running)")
            return self
        if os.geteuid() != 0:
            skip("Docker cannot run here: no daemon answers and only root can start dockerd")
        dockerd = shutil.which("dockerd") or "/usr/sbin/dockerd"
        log(f"starting {dockerd} (log: {self.log_path})")
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen([dockerd], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while not self.answers():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = self.log_path.read_text(errors="replace")[-2000:]
                code = self.proc.poll()     # read before stop(), which forgets the process
                self.stop()
                skip(f"Docker cannot run here: dockerd did not come up "
                     f"(exit {code}); its log ends:\n{tail}")
            time.sleep(0.5)
        return self

    def stop(self) -> None:
        """Stop the daemon if this object started it (its containerd goes with it)."""
        if not self.proc:
            return
        if self.proc.poll() is None:
            log("stopping the dockerd this test started")
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None

    def has_image(self, tag: str) -> bool:
        return self("image", "inspect", tag, timeout=30, check=False).returncode == 0

    def remove_other_tags(self, tag: str) -> None:
        """Remove stale stand-ins: other tags of this tag's repository."""
        repo = tag.rsplit(":", 1)[0]
        listed = self("images", repo, "--format", "{{.Repository}}:{{.Tag}}", timeout=30, check=False).stdout
        for other in listed.split():
            if other != tag:
                self("rmi", other, timeout=60, check=False)


# -- stand-in images ---------------------------------------------------------------------------

def debian_mirror() -> str:
    """The Debian mirror apt already uses for SUITE (one-line or deb822 sources)."""
    folder = Path("/etc/apt/sources.list.d")
    files = [Path("/etc/apt/sources.list"), *sorted(folder.glob("*.list")), *sorted(folder.glob("*.sources"))]
    for path in files:
        try:
            text = path.read_text()
        except (OSError, UnicodeDecodeError):
            continue
        if path.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
                if fields.get("Types", "deb").split()[0] == "deb" and SUITE in fields.get("Suites", "").split():
                    return fields["URIs"].split()[0]
        else:
            for line in text.splitlines():
                parts = re.sub(r"\[[^]]*\]", "", line).split()
                if len(parts) >= 3 and parts[0] == "deb" and parts[2] == SUITE:
                    return parts[1]
    return "http://deb.debian.org/debian"


def _pip_config() -> dict[str, str]:
    """pip's effective settings on this host (`pip config list`, then the PIP_* variables)."""
    out = run([sys.executable, "-m", "pip", "config", "list"], timeout=60, check=False).stdout
    config: dict[str, str] = {}
    for line in out.splitlines():
        match = re.match(r"^[^.]*\.([\w-]+)='(.*)'$", line.strip())
        if match:
            config[match.group(1)] = match.group(2)
    for key in ("cert", "index-url", "extra-index-url", "trusted-host"):
        value = os.environ.get("PIP_" + key.upper().replace("-", "_"))
        if value:
            config[key] = value
    return config


def pip_settings() -> tuple[bytes, str]:
    """(the CA bundle pip uses here, a pip.conf for the image): the bundle is copied into the image
    and named there; index settings are carried over when they are network URLs (http/https)."""
    config = _pip_config()
    candidates = [config.get("cert"), os.environ.get("REQUESTS_CA_BUNDLE"), os.environ.get("SSL_CERT_FILE")]
    try:
        from pip._vendor import certifi
        candidates.append(certifi.where())
    except ImportError:
        pass
    bundle = next((Path(c) for c in candidates if c and Path(c).is_file()), None)
    lines = ["[global]"]
    if bundle:
        lines.append("cert = /etc/ssl/host-pip-ca.pem")
    for key in ("index-url", "extra-index-url"):
        urls = [u for u in config.get(key, "").split() if u.startswith(("http://", "https://"))]
        if urls:
            lines.append(f"{key} = {' '.join(urls)}")
    if config.get("trusted-host"):
        lines.append(f"trusted-host = {config['trusted-host']}")
    return (bundle.read_bytes() if bundle else b""), "\n".join(lines) + "\n"


def _apt_settings() -> str:
    """apt settings of this host the image's apt needs too: proxies; snapshot mirrors whose
    Release files have expired (Check-Valid-Until off, as the host has it for them)."""
    out = run(["apt-config", "dump", "Acquire"], timeout=30, check=False).stdout if shutil.which("apt-config") else ""
    keep = [line for line in out.splitlines()
            if re.match(r'^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date) ', line)]
    return "\n".join(keep) + ("\n" if keep else "")


@contextlib.contextmanager
def _build_lock():
    """One stand-in build at a time on this machine (two test runs may start together)."""
    with open(LOCK_PATH, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def base_image(docker: Docker, workdir: Path) -> str:
    """The stand-in for python:3.11-slim, built with debootstrap unless cached."""
    mirror = debian_mirror()
    bundle, pip_conf = pip_settings()
    apt_conf = _apt_settings()
    key = hashlib.sha256(json.dumps([BASE_RECIPE, SUITE, mirror, BASE_PACKAGES, pip_conf, apt_conf]).encode()
                         + hashlib.sha256(bundle).digest()).hexdigest()[:16]
    tag = f"{STANDIN_REPO}/base:{key}"
    with _build_lock():
        if docker.has_image(tag):
            log(f"base image cached: {tag}")
            return tag
        root = Path(tempfile.mkdtemp(prefix="debootstrap-", dir=workdir))
        try:
            started = time.monotonic()
            log(f"debootstrap {SUITE} from {mirror} (about a minute)")
            run(["debootstrap", "--variant=minbase", f"--include={','.join(BASE_PACKAGES)}", SUITE, root, mirror],
                timeout=1200)
            if bundle:
                (root / "etc/ssl/host-pip-ca.pem").write_bytes(bundle)
            (root / "etc/pip.conf").write_text(pip_conf)
            if apt_conf:
                (root / "etc/apt/apt.conf.d/99host-settings").write_text(apt_conf)
            for folder in ("var/cache/apt/archives", "var/lib/apt/lists"):
                for item in (root / folder).glob("*"):
                    if item.is_file():
                        item.unlink()
            tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
            run([docker.binary, "import", "--change", 'CMD ["/bin/bash"]',
                 "--change", "ENV LANG=C.UTF-8", "-", tag], stdin=tar.stdout, timeout=600)
            tar.stdout.close()
            assert tar.wait(60) == 0, "tar of the debootstrap root failed"
            log(f"base image built in {time.monotonic() - started:.0f}s: {tag}")
        finally:
            shutil.rmtree(root, ignore_errors=True)
        docker.remove_other_tags(tag)
    return tag


def standin_image(docker: Docker, name: str, base: str) -> str:
    """tests/compose/<name>.Dockerfile on the base image, unless cached."""
    dockerfile = STANDIN_DIR / f"{name}.Dockerfile"
    key = hashlib.sha256(f"{base}\n".encode() + dockerfile.read_bytes()).hexdigest()[:16]
    tag = f"{STANDIN_REPO}/{name}:{key}"
    with _build_lock():
        if docker.has_image(tag):
            log(f"{name} stand-in cached: {tag}")
            return tag
        started = time.monotonic()
        docker("build", "-q", "--build-arg", f"BASE_IMAGE={base}", "-t", tag, "-f", dockerfile, STANDIN_DIR,
               timeout=900)
        log(f"{name} stand-in built in {time.monotonic() - started:.0f}s: {tag}")
        docker.remove_other_tags(tag)
    return tag


def keep_dependency_layer(docker: Docker, image: str) -> None:
    """Tag the product image's layer that installed requirements.lock, so that removing the product
    image at the end keeps it, and the next build reuses it (Docker's own build cache decides when it
    applies: same base, same instructions, same lock). One such tag at a time."""
    history = docker("history", "--no-trunc", "--format", "{{.ID}} {{.CreatedBy}}", image, timeout=60).stdout
    layer = next((line.split()[0] for line in history.splitlines()
                  if "pip install --require-hashes" in line and line.startswith("sha256:")), None)
    if layer:
        tag = f"{STANDIN_REPO}/deps:{layer.split(':', 1)[1][:16]}"
        docker("tag", layer, tag, timeout=60)
        docker.remove_other_tags(tag)


def check_containers_run(docker: Docker, image: str) -> None:
    """Skip (with the reason) where this kernel cannot run a container at all."""
    done = docker("run", "--rm", "--network", "none", image, "true", timeout=120, check=False)
    if done.returncode != 0:
        skip(f"Docker cannot run a container here: {done.stderr.strip()[-1500:]}")


# -- the compose deployment --------------------------------------------------------------------

def compose_project_copy(target: Path) -> Path:
    """The project (sources, catalogs, templates, config) and what the image is built from, as in
    the repository, owned by the image's uid so that the containers can write dist/ and .cache/."""
    copy_project(target)
    for name in BUILD_FILES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, target / name)
    shutil.copytree(REPO / "workflow", target / "workflow", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for path in [target, *target.rglob("*")]:
        os.lchown(path, IMAGE_UID, IMAGE_UID)
    return target


class Compose:
    """`docker-compose` on a project copy with a unique project name, the repository's compose
    file and, for the fault tests, an override file with the test hooks."""

    def __init__(self, docker: Docker, directory: Path, env: dict[str, str]):
        self.docker = docker
        self.directory = directory
        self.name = "gwtest" + uuid.uuid4().hex[:10]
        self.override: Path | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")}
        self.env.update(env)

    def argv(self, *args, override: bool = False) -> list[str]:
        files = ["-f", str(self.directory / "docker-compose.yml")]
        if override and self.override:
            files += ["-f", str(self.override)]
        return ["docker-compose", "-p", self.name, "--project-directory", str(self.directory), *files, *args]

    def __call__(self, *args, override: bool = False, timeout: float = 300, check: bool = True, **kwargs):
        return run(self.argv(*args, override=override), timeout=timeout, check=check, env=self.env,
                   cwd=self.directory, **kwargs)

    def popen(self, *args, log_path: Path, override: bool = False) -> subprocess.Popen:
        with open(log_path, "wb") as out:
            return subprocess.Popen(self.argv(*args, override=override), stdout=out, stderr=subprocess.STDOUT,
                                    env=self.env, cwd=self.directory, start_new_session=True)

    def containers(self, service: str) -> list[str]:
        """Container names of a service, in replica order (worker_1, worker_2)."""
        out = self.docker("ps", "-a", "--filter", f"label=com.docker.compose.project={self.name}",
                          "--filter", f"label=com.docker.compose.service={service}",
                          "--format", "{{.Names}}", timeout=30).stdout.split()
        return sorted(out, key=lambda n: int(n.rsplit("_", 1)[-1]) if n.rsplit("_", 1)[-1].isdigit() else 0)

    def inspect(self, container: str) -> dict:
        return json.loads(self.docker("inspect", container, timeout=30).stdout)[0]

    def down(self) -> None:
        """Remove everything of this project: containers (one-shot runs too), networks, volumes."""
        self("--profile", "app", "down", "-v", "--remove-orphans", "--timeout", "10", timeout=300, check=False)
        label = f"label=com.docker.compose.project={self.name}"
        for listing, removal in ((["ps", "-aq"], ["rm", "-f"]), (["network", "ls", "-q"], ["network", "rm"]),
                                 (["volume", "ls", "-q"], ["volume", "rm", "-f"])):
            ids = self.docker(*listing, "--filter", label, timeout=30, check=False).stdout.split()
            if ids:
                self.docker(*removal, *ids, timeout=120, check=False)

    def leftovers(self) -> list[str]:
        """Whatever of this project is still there (for the cleanup check)."""
        label = f"label=com.docker.compose.project={self.name}"
        return [f"{kind} {i}" for kind, listing in (("container", ["ps", "-aq"]), ("network", ["network", "ls", "-q"]),
                                                    ("volume", ["volume", "ls", "-q"]))
                for i in self.docker(*listing, "--filter", label, timeout=30, check=False).stdout.split()]


def interpolate(text: str, env: dict[str, str] | None = None) -> str:
    """Compose's `${VAR:-default}` / `${VAR}` substitution (the forms docker-compose.yml uses)."""
    env = {} if env is None else env

    def value(match):
        name, default = match.group(1), match.group(3)
        return env.get(name) or (default if default is not None else "")
    return re.sub(r"\$\{(\w+)(:-([^}]*))?\}", value, text).replace("$$", "$")


def listeners(port: int) -> list[str]:
    """Local addresses listening on TCP `port` on this host (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:
                found.append(_address(address))
    return found


def _address(hexaddr: str) -> str:
    raw = bytes.fromhex(hexaddr)
    if len(raw) == 4:
        return ".".join(str(b) for b in raw[::-1])
    words = [raw[i:i + 4][::-1] for i in range(0, 16, 4)]          # four little-endian 32-bit words
    import ipaddress
    return str(ipaddress.IPv6Address(b"".join(words)))
