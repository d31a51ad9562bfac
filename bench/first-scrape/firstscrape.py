#!/usr/bin/env python3
"""Time to the first good scrape over HTTPS with basic auth, from a read-only unpacked install
tarball (not a test; numbers go to docs/benchmarks.md).

For each exporter: N cold starts of bin/<module> in a private mount namespace where the install
directory is a read-only bind mount, with a web config (TLS certificate made here, bcrypt cost 10
basic auth) and the shipped example config; the clock runs from the exec to the first 200 of
GET /metrics with the right credentials. Then, with the exporter still running, 200 more scrapes
over one kept-alive TLS connection: CPU per scrape (utime+stime) and RSS. The JVM's CPU time at the
first good scrape is shown too: on a loaded machine it moves less than the wall time. node_exporter 1.5.0
with the same web config is the reference.
"""
import argparse, base64, http.client, os, socket, ssl, statistics, subprocess, sys, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

def run(cmd, port, auth, ctx, scrapes):
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    headers = {"Authorization": auth, "Accept-Encoding": "gzip"}
    try:
        while True:
            try:
                c = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=ctx)
                c.request("GET", "/metrics", headers=headers); r = c.getresponse(); body = r.read()
                if r.status == 200 and body:
                    first = time.monotonic() - t0
                    first_cpu = cpu_seconds(proc.pid)
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                sys.exit(f"{cmd[0]} exited {proc.returncode}")
            if time.monotonic() - t0 > 30:
                sys.exit(f"no good scrape within 30 s: {cmd}")
            time.sleep(0.002)
        pid = proc.pid  # the wrappers exec: unshare (no --fork), sh, the launcher, java
        cpu0 = cpu_seconds(pid)
        for _ in range(scrapes):
            c.request("GET", "/metrics", headers=headers); r = c.getresponse(); r.read()
        cpu = (cpu_seconds(pid) - cpu0) / scrapes
        return first, first_cpu, cpu, rss_mib(pid)
    finally:
        proc.terminate(); proc.wait(10)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--scrapes", type=int, default=200)
    ap.add_argument("--dir", required=True, help="work directory with web-config.yml, server.crt and unpacked installs")
    ap.add_argument("target", nargs="+", help="name=command with {port}")
    a = ap.parse_args()
    ctx = ssl.create_default_context(cafile=os.path.join(a.dir, "server.crt"))
    auth = "Basic " + base64.b64encode(b"bench:bench").decode()
    print(f"{'exporter':<20} {'first scrape ms (median, min-max)':<36} {'CPU ms to it (median, min-max)':<32} "
          f"{'CPU ms/scrape':>14} {'RSS MiB':>8}")
    for spec in a.target:
        name, command = spec.split("=", 1)
        firsts, first_cpus, cpus, rsss = [], [], [], []
        for _ in range(a.starts):
            port = free_port()
            first, first_cpu, cpu, rss = run([c.replace("{port}", str(port)) for c in command.split()], port, auth, ctx, a.scrapes)
            firsts.append(first * 1000); first_cpus.append(first_cpu * 1000); cpus.append(cpu * 1000); rsss.append(rss)
        fc = f"{statistics.median(first_cpus):7.0f} ({min(first_cpus):.0f}-{max(first_cpus):.0f})"
        print(f"{name:<20} {statistics.median(firsts):7.0f} ({min(firsts):.0f}-{max(firsts):.0f}){'':<18} {fc:<32} "
              f"{statistics.median(cpus):14.2f} {statistics.median(rsss):8.1f}", flush=True)

main()
