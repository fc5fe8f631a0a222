#!/usr/bin/env python3
# bench/fair-scripts-mixed.py: two builds' fair-path scripts on ONE queue version, as during a rolling
# upgrade: enqueue, fetch, complete, trim and group_settings each run at random from one folder or the
# other, three workers, random fetch sizes, acks in random subsets and orders, 1 job in 7 plain, 20
# groups of which g1 (cap 2, set by the old build) and g2 (cap 3, set by the new one) before any job
# runs, and g3 (cap 2) set by the old build while its jobs run. Checks at every step that each capped
# group's count is its true number of running jobs and within its cap (g3: from the first trim of the
# new build that counts capped groups again (at most every 30 s; the script's clock moves a second
# per round); until then no cap is promised, and after it no fetch starts a g3 job
# while g3 holds its cap), every ack is accepted, and that nothing is left (no running or parked
# count, no active job, nothing ready) at the end, after a last trim; prints what the groups hash holds.
#   REDIS_PORT=PORT python3 bench/fair-scripts-mixed.py OLD_SCRIPTS_DIR NEW_SCRIPTS_DIR
# It FLUSHES the Redis at REDIS_PORT (127.0.0.1). Used for docs/benchmarks.md (queue section, 2026-12-06).
import os, sys, random
port=int(os.environ['REDIS_PORT'])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resp import Redis, assemble
cmd = Redis(port).cmd
cmd('FLUSHALL')
sha={}
for tag,d in (('old',sys.argv[1]),('new',sys.argv[2])):
    for n in ('enqueue','fetch','complete','trim','group_settings'):
        sha[tag,n]=cmd('SCRIPT','LOAD',assemble(d,n+'.lua'))
b='pl:{mix:1}:'
K={k:b+k for k in 'info pending delayed retry deadlines meta payload workers done stats progress parked groups dead'.split()}
K['urgent'],K['normal'],K['bulk'],K['settings']=b+'ready:urgent',b+'ready:normal',b+'ready:bulk',b+'group-settings'
cmd('HSET',K['info'],'state','active')
now=1796524291574; levels=['urgent','normal','bulk']; rnd=random.Random(1)
total=3000; G=20
# caps on two groups, set by both builds' group_settings
cmd('EVALSHA',sha['old','group_settings'],7,K['pending'],K['urgent'],K['normal'],K['bulk'],K['groups'],K['settings'],K['parked'],'g1','','2')
cmd('EVALSHA',sha['new','group_settings'],9,K['pending'],K['urgent'],K['normal'],K['bulk'],K['groups'],K['settings'],K['parked'],K['deadlines'],K['meta'],'g2','','3')
caps={'g1':2,'g2':3}
def trim(tag):
    # an old trim.lua declares fewer keys and ignores the rest
    return cmd('EVALSHA',sha[tag,'trim'],12,K['meta'],K['payload'],K['done'],K['dead'],K['groups'],K['settings'],K['deadlines'],K['pending'],K['urgent'],K['normal'],K['bulk'],K['parked'],now,3600000,3600000)
def group_of(job_id):
    i=int(job_id[4:]); return None if i % 7 == 0 else 'g%d'%(i%G)
for start in range(0,total,500):
    tag=rnd.choice(['old','new'])
    args=[now,500]
    for i in range(start,start+500):
        plain = i % 7 == 0
        args+=['job-%06d'%i,'{}',3,60000,0,'' if plain else levels[i%3],'' if plain else 'g%d'%(i%G)]
    cmd('EVALSHA',sha[tag,'enqueue'],12,K['info'],K['pending'],K['delayed'],K['meta'],K['payload'],K['stats'],K['urgent'],K['normal'],K['bulk'],K['groups'],K['settings'],K['parked'],*args)
held={}  # worker -> list of (id, token)
done=0; rounds=0; maxrun={}; maxparked=0
while done<total:
    rounds+=1; assert rounds<10000
    now+=1000 # a second per round: the janitor's count of capped groups runs at most every 30 s
    w=rnd.choice(['w1','w2','w3'])
    tag=rnd.choice(['old','new'])
    r=cmd('EVALSHA',sha[tag,'fetch'],15,K['info'],K['pending'],b+'active:'+w,K['delayed'],K['retry'],K['deadlines'],K['meta'],K['payload'],K['workers'],K['urgent'],K['normal'],K['bulk'],K['groups'],K['settings'],K['parked'],now,w,rnd.randint(1,40),'',1000,now+15000)
    n=int(r[2])
    started={}
    for j in range(n):
        held.setdefault(w,[]).append((r[3+j*7],r[3+j*7+5]))
        g=group_of(r[3+j*7]); started[g]=started.get(g,0)+1
    truth={}
    for lst in held.values():
        for job_id,_ in lst: g=group_of(job_id); truth[g]=truth.get(g,0)+1
    # each capped group's count is its true number of running jobs, and a fetch started none beyond the cap
    for g,cap in caps.items():
        running=int(cmd('HGET',K['groups'],'run:'+g) or 0)
        maxrun[g]=max(maxrun.get(g,0),running)
        assert running==truth.get(g,0),(g,running,truth.get(g,0))
        assert running<=cap or started.get(g,0)==0,(g,running,started)
    if rounds==60: # an old admin caps g3 while its jobs run: its group_settings.lua counts nothing
        cmd('EVALSHA',sha['old','group_settings'],7,K['pending'],K['urgent'],K['normal'],K['bulk'],K['groups'],K['settings'],K['parked'],'g3','','2')
        g3_capped_at=truth.get('g3',0); g3_capped_time=now
    maxparked=max(maxparked,int(cmd('ZCARD',K['parked'])))
    w2=rnd.choice(['w1','w2','w3']); lst=held.get(w2,[])
    if lst:
        rnd.shuffle(lst); k=rnd.randint(1,len(lst)); acks,held[w2]=lst[:k],lst[k:]
        tag=rnd.choice(['old','new']); args=[]
        for a in acks: args+=list(a)
        res=cmd('EVALSHA',sha[tag,'complete'],14,b+'active:'+w2,K['deadlines'],K['meta'],K['payload'],K['done'],K['stats'],K['pending'],K['urgent'],K['normal'],K['bulk'],K['groups'],K['settings'],K['parked'],K['progress'],now,w2,100000,3600000,len(acks),*args)
        assert all(x in ('1',1) for x in res),res
        done+=len(acks)
    if rounds%7==0:
        tag=rnd.choice(['old','new']); trim(tag)
        counted=int(cmd('HGET',K['groups'],'counted-at') or 0)
        if tag=='new' and rounds>60 and 'g3' not in caps and counted>=g3_capped_time:
            caps['g3']=2; print('g3 capped at round 60 with',g3_capped_at,'running; counted by a new trim at round',rounds)
trim('new')
left=cmd('HGETALL',K['groups'])
fields=dict(zip(left[::2],left[1::2]))
bad={k:v for k,v in fields.items() if k.startswith(('run:','parked:'))}
print('done',done,'rounds',rounds,'max running',maxrun,'max parked',maxparked,'active lists',[cmd('LLEN',b+'active:'+w) for w in ('w1','w2','w3')],'deadlines',cmd('ZCARD',K['deadlines']),'parked',cmd('ZCARD',K['parked']),'ready',[cmd('ZCARD',K[l]) for l in levels],cmd('LLEN',K['pending']),'leftover counts',bad)
print('groups hash after a new trim:',sorted(k for k in left[::2]))
assert not bad, bad
