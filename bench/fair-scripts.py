#!/usr/bin/env python3
# bench/fair-scripts.py: the fair path's Lua scripts alone, without the JVM, to compare two versions of
# them on the same data. One client enqueues grouped jobs (job i: level i mod 3, group (i/3) mod GROUPS,
# as `bench queue --groups`), then fetches BATCH at a time and acks them, until none is left; prints
# Redis's CPU time (INFO cpu) per job of the enqueue and of the fetch-and-ack loop, and the Redis
# commands the scripts ran per job.
#   REDIS_PORT=PORT python3 bench/fair-scripts.py SCRIPTS_DIR LABEL [JOBS [BATCH [GROUPS]]]
# SCRIPTS_DIR: a scripts folder (queue-core/src/main/resources/dev/packline/queue/scripts, or one taken
# from another commit with git show); GROUPS 0 sends plain jobs. GFMT=hash names groups with 12 hex
# characters instead of gN. It FLUSHES the Redis at REDIS_PORT (127.0.0.1): start one of its own,
# e.g. the 6.2 binary compare-queue.sh unpacks, and `chrt -f -p 10 PID` it so other load does not
# preempt it. Used for docs/benchmarks.md (queue section, 2026-12-06).
# CALLGRIND=PID (a redis-server run under valgrind --tool=callgrind): zero its counters before the
# fetch-and-ack loop and dump them after, then print the loop's instructions per job (Ir), a count
# that other load on the machine does not move.
import sys, os, time
port = int(os.environ['REDIS_PORT'])
d, label = sys.argv[1], sys.argv[2]
jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 50000
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 50
groups = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp import Redis, assemble as assemble_in
def assemble(name):
    return assemble_in(d, name)
redis = Redis(port)
cmd = redis.cmd
def cpu():
    info = cmd('INFO', 'cpu')
    v = dict(l.split(':') for l in info.split('\r\n') if ':' in l)
    return float(v['used_cpu_user']) + float(v['used_cpu_sys'])
cmd('FLUSHALL')
sha = {n: cmd('SCRIPT', 'LOAD', assemble(n + '.lua')) for n in ('enqueue', 'fetch', 'complete')}
b = 'pl:{drv:1}:'
K = dict((k, b + k) for k in 'info pending delayed retry deadlines meta payload workers done stats progress parked groups'.split())
K['urgent'], K['normal'], K['bulk'], K['settings'] = b + 'ready:urgent', b + 'ready:normal', b + 'ready:bulk', b + 'group-settings'
cmd('HSET', K['info'], 'state', 'active')
now = 1796524291574
levels = ['urgent', 'normal', 'bulk']
import hashlib
GFMT = os.environ.get('GFMT', 'g%d')
def gname(n):
    return hashlib.sha1(str(n).encode()).hexdigest()[:12] if GFMT == 'hash' else GFMT % n

c0 = cpu()
for start in range(0, jobs, 1000):
    args = [now, min(1000, jobs - start)]
    for i in range(start, min(jobs, start + 1000)):
        args += ['job-%08d' % i, '{"n":%d}' % i, 3, 60000, 0, levels[i % 3] if groups else '', gname((i // 3) % groups) if groups else '']
    cmd('EVALSHA', sha['enqueue'], 12, K['info'], K['pending'], K['delayed'], K['meta'], K['payload'], K['stats'], K['urgent'], K['normal'], K['bulk'], K['groups'], K['settings'], K['parked'], *args)
c1 = cpu()
cmd('CONFIG', 'RESETSTAT')
callgrind = os.environ.get('CALLGRIND')
if callgrind:
    import subprocess, glob
    subprocess.run(['callgrind_control', '--zero', callgrind], check=True, capture_output=True)
active = b + 'active:w1'
done = 0; tf = tc = 0.0; nf = 0
while True:
    t = time.perf_counter()
    r = cmd('EVALSHA', sha['fetch'], 15, K['info'], K['pending'], active, K['delayed'], K['retry'], K['deadlines'], K['meta'], K['payload'], K['workers'], K['urgent'], K['normal'], K['bulk'], K['groups'], K['settings'], K['parked'], now, 'w1', batch, '', 1000, now + 15000)
    tf += time.perf_counter() - t; nf += 1
    n = int(r[2])
    if n == 0: break
    acks = []
    for j in range(n):
        acks += [r[3 + j * 7], r[3 + j * 7 + 5]]
    t = time.perf_counter()
    res = cmd('EVALSHA', sha['complete'], 14, active, K['deadlines'], K['meta'], K['payload'], K['done'], K['stats'], K['pending'], K['urgent'], K['normal'], K['bulk'], K['groups'], K['settings'], K['parked'], K['progress'], now, 'w1', 10000, 3600000, n, *acks)
    tc += time.perf_counter() - t
    assert all(x == '1' or x == 1 for x in res), res[:5]
    done += n
c2 = cpu()
ir = None
if callgrind:
    before = set(glob.glob('callgrind.out.%s*' % callgrind))
    subprocess.run(['callgrind_control', '--dump', callgrind], check=True, capture_output=True)
    dumps = sorted(set(glob.glob('callgrind.out.%s*' % callgrind)) - before, key=os.path.getmtime)
    ir = int(next(l for l in open(dumps[-1]) if l.startswith('summary:')).split()[1])
stats = cmd('INFO', 'commandstats')
calls = {}
for l in stats.split('\r\n'):
    if l.startswith('cmdstat_'):
        name, rest = l[8:].split(':', 1)
        calls[name] = int(rest.split(',')[0].split('=')[1])
inner = sum(v for k, v in calls.items() if k not in ('evalsha', 'info', 'config'))
print(f'{label}: enqueue {1e6*(c1-c0)/jobs:.1f} us/job, process {1e6*(c2-c1)/done:.1f} us/job CPU; wall fetch {1e6*tf/done:.1f} complete {1e6*tc/done:.1f} us/job; {done} done in {nf} fetches; Redis commands inside the scripts {inner/done:.2f} per job'
      + (f'; {ir/done:,.0f} instructions per job (callgrind)' if ir else ''))
