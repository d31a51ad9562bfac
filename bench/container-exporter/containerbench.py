#!/usr/bin/env python3
"""Scrape benchmark of container-exporter (not a test; numbers go to docs/container-exporter.md).

Real containers on a dockerd started here (all network flags off, --network none), and simulated
ones (WireMock as the Engine API; for the cgroup source also a generated cgroup v1 / proc tree).
For each case: p50/p99 scrape latency over a kept-alive connection, the exporter's CPU per second
while being scraped (housekeeping included), RSS; and the engine's own stats API per container.
"""
import argparse, http.client, json, os, shutil, socket, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LAUNCHER = os.path.join(ROOT, "container-exporter/target/bin/container-exporter")
IMAGE = "promsuite-bench:1"
# What Prometheus 2.x/3.x sends: OpenMetrics preferred, the text format accepted, gzip.
PROMETHEUS = {"Accept": "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
              "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", "Accept-Encoding": "gzip"}
# What curl sends: anything, no compression.
PLAIN = {"Accept": "*/*"}
ACCEPT = "text/plain;version=0.0.4"

# Process readings shared with the host-exporter benchmark.
sys.path.insert(0, os.path.join(ROOT, "bench", "host-exporter"))
from scrapebench import cpu_seconds, free_port, pct, rss_mib  # noqa: E402

def run(cmd, check=True, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {r.returncode}: {r.stdout}")
    return r.stdout

class Dockerd:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="dkb", dir="/tmp")  # short: exec-root holds unix sockets
        self.sock = os.path.join(self.dir, "d.sock")
        self.host = "unix://" + self.sock
        log = open(os.path.join(self.dir, "dockerd.log"), "w")
        self.proc = subprocess.Popen(["dockerd", "--host", self.host, "--data-root", self.dir + "/data",
            "--exec-root", self.dir + "/x", "--pidfile", self.dir + "/d.pid", "--iptables=false",
            "--ip-forward=false", "--ip-masq=false", "--bridge=none"], stdout=log, stderr=log)
        for _ in range(600):
            if os.path.exists(self.sock) and subprocess.run(["docker", "-H", self.host, "version"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("dockerd did not start; see " + self.dir + "/dockerd.log")
        rootfs = os.path.join(self.dir, "rootfs"); os.makedirs(rootfs + "/bin")
        for d in ("tmp", "proc", "sys", "dev", "etc"): os.makedirs(os.path.join(rootfs, d))
        shutil.copy("/bin/busybox", rootfs + "/bin/busybox")
        for a in ("sh", "sleep"): os.symlink("busybox", os.path.join(rootfs, "bin", a))
        run(["tar", "-C", rootfs, "-cf", self.dir + "/rootfs.tar", "."])
        self.docker("import", self.dir + "/rootfs.tar", IMAGE)
        self.ids = []
    def docker(self, *args):
        return run(["docker", "-H", self.host] + list(args))
    def scale(self, n):
        while len(self.ids) < n:
            self.ids.append(self.docker("run", "-d", "--network", "none", "--label", f"team=t{len(self.ids) % 5}",
                                        IMAGE, "sleep", "86400").strip())
    def stats_latency(self, ids, one_shot):
        q = "stream=false&one-shot=true" if one_shot else "stream=false"
        lat = []
        for i in ids:
            t0 = time.perf_counter()
            run(["curl", "-sf", "-o", "/dev/null", "--unix-socket", self.sock, f"http://d/containers/{i}/stats?{q}"])
            lat.append(time.perf_counter() - t0)
        return lat
    def close(self):
        try:
            if self.ids:
                for i in range(0, len(self.ids), 50):
                    run(["docker", "-H", self.host, "rm", "-f"] + self.ids[i:i + 50], check=False)
        finally:
            self.proc.terminate()
            try: self.proc.wait(60)
            except subprocess.TimeoutExpired: self.proc.kill(); self.proc.wait()
            shutil.rmtree(self.dir, ignore_errors=True)

class FakeEngine:
    """WireMock standalone serving N containers; a cgroup v1 + proc tree for them when asked."""
    def __init__(self, jar, n, tree):
        self.dir = tempfile.mkdtemp(prefix="fkb", dir="/tmp")
        maps = os.path.join(self.dir, "mappings"); os.makedirs(maps)
        stats = open(os.path.join(ROOT, "container-exporter/src/test/resources/engine/stats-v1.json")).read()
        def stub(name, path, body):
            with open(os.path.join(maps, name + ".json"), "w") as f:
                json.dump({"request": {"method": "GET", "urlPathPattern": path},
                           "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body}}, f)
        listed = []
        for i in range(n):
            cid = "%064x" % (i + 1); pid = 100000 + i
            listed.append({"Id": cid, "Names": [f"/sim{i}"], "Image": "busybox:1", "State": "running",
                           "Created": 1795590000, "Labels": {"team": f"t{i % 5}"}})
            stub(f"inspect{i}", f"(/v[0-9.]+)?/containers/{cid}/json", json.dumps({"Id": cid, "Name": f"/sim{i}",
                "Created": "2026-11-25T08:00:00Z", "State": {"Running": True, "Pid": pid,
                "StartedAt": "2026-11-25T08:00:01Z"}, "Config": {"Image": "busybox:1", "Labels": {"team": f"t{i % 5}"}},
                "HostConfig": {"Memory": 67108864 if i % 2 else 0}}))
            if tree:
                self.fake_cgroup(cid, pid)
        stub("list", "(/v[0-9.]+)?/containers/json", json.dumps(listed))
        stub("stats", "(/v[0-9.]+)?/containers/[^/]+/stats", stats)
        stub("info", "(/v[0-9.]+)?/info", json.dumps({"CgroupDriver": "cgroupfs"}))
        stub("events", "(/v[0-9.]+)?/events", "")
        self.port = free_port()
        self.proc = subprocess.Popen(["java", "-Xmx256m", "-jar", jar, "--port", str(self.port), "--bind-address",
            "127.0.0.1", "--root-dir", self.dir, "--no-request-journal", "--disable-banner"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.host = f"tcp://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2); c.request("GET", "/info")
                if c.getresponse().status == 200: break
            except OSError: pass
            time.sleep(0.1)
        else:
            raise SystemExit("wiremock did not start")
    def fake_cgroup(self, cid, pid):
        fix = os.path.join(ROOT, "container-exporter/src/test/resources/fixtures/v1")
        cg = os.path.join(self.dir, "sys/fs/cgroup")
        for ctl in ("cpuacct", "cpu", "memory", "pids", "blkio"):
            shutil.copytree(os.path.join(fix, "sys/fs/cgroup", ctl, "docker/0123456789abcdef"),
                            os.path.join(cg, ctl, "docker", cid))
        proc = os.path.join(self.dir, "proc", str(pid)); os.makedirs(proc + "/net")
        shutil.copy(os.path.join(fix, "proc/1234/net/dev"), proc + "/net/dev")
        shutil.copy(os.path.join(fix, "proc/1234/stat"), proc + "/stat")
        with open(proc + "/cgroup", "w") as f: f.write(f"4:memory:/docker/{cid}\n")
        with open(os.path.join(cg, "memory/docker", cid, "tasks"), "w") as f: f.write(f"{pid}\n")
    def close(self):
        self.proc.terminate(); self.proc.wait(30); shutil.rmtree(self.dir, ignore_errors=True)

def bench_exporter(label, n, args, scrapes, warmup):
    port = free_port()
    proc = subprocess.Popen([LAUNCHER, f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"] + args,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        conn = None
        while True:
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/metrics", headers={"Accept": ACCEPT}); r = conn.getresponse(); body = r.read().decode()
                line = [l for l in body.splitlines() if l.startswith("container_exporter_containers ")]
                if line and float(line[0].split()[1]) >= n: break
            except OSError:
                conn = None
            if time.monotonic() > deadline:
                raise SystemExit(f"{label}: {n} containers not reported within 300 s")
            time.sleep(0.2)
        for _ in range(warmup):
            conn.request("GET", "/metrics", headers={"Accept": ACCEPT}); conn.getresponse().read()
        # Background cost (housekeeping, rendering) with nobody scraping.
        idle0, w0 = cpu_seconds(proc.pid), time.monotonic(); time.sleep(10)
        idle_pct = (cpu_seconds(proc.pid) - idle0) / (time.monotonic() - w0) * 100
        lat, plain = [], []; cpu0 = cpu_seconds(proc.pid); t0 = time.monotonic()
        for _ in range(scrapes):
            for headers, out in ((PROMETHEUS, lat), (PLAIN, plain)):
                s = time.perf_counter()
                conn.request("GET", "/metrics", headers=headers); r = conn.getresponse(); r.read()
                out.append(time.perf_counter() - s)
            time.sleep(0.01)  # leave the housekeeping threads room, as a real 15 s scrape interval would
        wall = time.monotonic() - t0
        conn.request("GET", "/metrics", headers={"Accept": ACCEPT}); size = len(conn.getresponse().read())
        # CPU per scrape: what the scrape loop cost beyond the background rate.
        per_scrape = max(0.0, (cpu_seconds(proc.pid) - cpu0) - idle_pct / 100 * wall) / (2 * scrapes)
        return dict(case=label, containers=n, p50=pct(lat, 50) * 1e3, p99=pct(lat, 99) * 1e3,
                    plain50=pct(plain, 50) * 1e3, plain99=pct(plain, 99) * 1e3,
                    idle=idle_pct, cpu_ms=per_scrape * 1e3, rss=rss_mib(proc.pid), kib=size / 1024)
    finally:
        proc.terminate(); proc.wait(30)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scrapes", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--real", default="10,100", help="real container counts (empty: none)")
    ap.add_argument("--simulated", default="10,100,500")
    ap.add_argument("--wiremock-jar", required=True)
    a = ap.parse_args()
    rows, engine_rows = [], []
    if a.real:
        d = Dockerd()
        try:
            for n in [int(x) for x in a.real.split(",")]:
                d.scale(n)
                for source, extra in (("cgroup", []), ("docker", ["--housekeeping.interval=10s"])):
                    rows.append(bench_exporter(f"real, {source}", n, ["--docker.host=" + d.host, "--source=" + source,
                        "--container.label-allowlist=team"] + extra, a.scrapes, a.warmup))
                    print(rows[-1], file=sys.stderr)
                sample = d.ids[:10]
                for one_shot in (True, False):
                    lat = d.stats_latency(sample, one_shot)
                    engine_rows.append(dict(containers=n, query="stream=false" + ("&one-shot=true" if one_shot else ""),
                                            p50=pct(lat, 50) * 1e3, p99=pct(lat, 99) * 1e3, sweep=sum(lat) / len(lat) * n))
                    print(engine_rows[-1], file=sys.stderr)
        finally:
            d.close()
    for n in [int(x) for x in a.simulated.split(",") if x]:
        for source in ("docker", "cgroup"):
            f = FakeEngine(a.wiremock_jar, n, tree=(source == "cgroup"))
            try:
                args = ["--docker.host=" + f.host, "--source=" + source, "--container.label-allowlist=team"]
                if source == "cgroup":
                    args += ["--path.cgroupfs=" + f.dir + "/sys/fs/cgroup", "--path.procfs=" + f.dir + "/proc",
                             "--path.sysfs=" + f.dir + "/sys"]
                else:
                    args += ["--housekeeping.interval=10s"]
                rows.append(bench_exporter(f"simulated, {source}", n, args, a.scrapes, a.warmup))
                print(rows[-1], file=sys.stderr)
            finally:
                f.close()
    print(f"\n| case | containers | Prometheus-style scrape (gzip) p50 / p99 ms | plain-text scrape p50 / p99 ms "
          f"| CPU ms per scrape | background CPU % (no scrapes) | RSS MiB | /metrics KiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['case']} | {r['containers']} | {r['p50']:.2f} / {r['p99']:.2f} | {r['plain50']:.2f} / {r['plain99']:.2f} "
              f"| {r['cpu_ms']:.2f} | {r['idle']:.1f} | {r['rss']:.0f} | {r['kib']:.0f} |")
    if engine_rows:
        print(f"\n| engine stats API, per container | containers | p50 ms | p99 ms | one sweep over all containers, s |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for r in engine_rows:
            print(f"| {r['query']} | {r['containers']} | {r['p50']:.0f} | {r['p99']:.0f} | {r['sweep']:.1f} |")

if __name__ == "__main__":
    main()
