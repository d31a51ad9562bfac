#!/usr/bin/env python3
"""Side-by-side scrape benchmark of two exporters on this machine (not a test).

Starts both, measures time from start to first good scrape, alternates N scrapes of each over
kept-alive connections, and prints p50/p99 latency, CPU time per scrape (utime+stime from
/proc/PID/stat), RSS after the run, and ours/theirs ratios: once right after start (the JVM is
still compiling), once in steady state (after --steady-warmup more scrapes each, about six hours
of 15 s scrapes).
"""
import argparse, http.client, os, shlex, socket, subprocess, sys, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    hz = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / hz  # utime, stime (children not counted)

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

class Target:
    def __init__(self, name, cmd):
        self.name, self.port = name, free_port()
        self.cmd = [c.replace("{port}", str(self.port)) for c in cmd]
        self.lat = []
    def start(self):
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/metrics"); r = c.getresponse(); body = r.read()
                if r.status == 200 and body:
                    self.first_scrape = time.monotonic() - t0
                    self.conn = c
                    return
            except OSError:
                time.sleep(0.005)
            if time.monotonic() - t0 > 30:
                raise SystemExit(f"{self.name} did not answer within 30 s")
    def scrape(self):
        t0 = time.perf_counter()
        self.conn.request("GET", "/metrics", headers={"Accept": "text/plain;version=0.0.4"})
        r = self.conn.getresponse(); r.read()
        self.lat.append(time.perf_counter() - t0)
        if r.status != 200:
            raise SystemExit(f"{self.name}: HTTP {r.status}")
    def stop(self):
        self.proc.terminate(); self.proc.wait(10)

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scrapes", type=int, default=500)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--steady-warmup", type=int, default=1500)
    ap.add_argument("--ours", required=True); ap.add_argument("--theirs", required=True)
    a = ap.parse_args()
    ours, theirs = Target("ours", shlex.split(a.ours)), Target("theirs", shlex.split(a.theirs))
    try:
        for t in (theirs, ours):
            t.start()
        for _ in range(a.warmup):
            ours.scrape(); theirs.scrape()
        # Two phases: the first N scrapes after start (the JVM is still compiling its hot code),
        # then N more after a longer warm-up (what a long-running exporter costs per scrape).
        phases = [("first %d scrapes after %d warm-up" % (a.scrapes, a.warmup), 0),
                  ("steady state: %d scrapes after %d more" % (a.scrapes, a.steady_warmup), a.steady_warmup)]
        for title, extra in phases:
            for _ in range(extra):
                ours.scrape(); theirs.scrape()
            ours.lat.clear(); theirs.lat.clear()
            cpu0 = {t.name: cpu_seconds(t.proc.pid) for t in (ours, theirs)}
            for _ in range(a.scrapes):
                ours.scrape(); theirs.scrape()
            cpu = {t.name: (cpu_seconds(t.proc.pid) - cpu0[t.name]) / a.scrapes for t in (ours, theirs)}
            rows = []
            for t in (ours, theirs):
                rows.append((t.name, pct(t.lat, 50) * 1e3, pct(t.lat, 99) * 1e3, cpu[t.name] * 1e3,
                             rss_mib(t.proc.pid), t.first_scrape * 1e3))
            print(title)
            print(f"{'':8}{'p50 ms':>10}{'p99 ms':>10}{'cpu ms/scrape':>15}{'RSS MiB':>10}{'first scrape ms':>17}")
            for r in rows:
                print(f"{r[0]:8}{r[1]:10.2f}{r[2]:10.2f}{r[3]:15.2f}{r[4]:10.1f}{r[5]:17.0f}")
            o, t = rows[0], rows[1]
            print(f"{'ratio':8}{o[1]/t[1]:10.2f}{o[2]/t[2]:10.2f}{o[3]/max(t[3],1e-9):15.2f}{o[4]/t[4]:10.2f}{o[5]/t[5]:17.2f}")
    finally:
        for t in (ours, theirs):
            try: t.stop()
            except Exception: pass

if __name__ == "__main__":
    main()
