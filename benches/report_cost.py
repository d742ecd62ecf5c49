"""Cost of Report-making calls on an Analyzer that has read three words, by
capacity: they must cost the text, not the capacity (benches/RESULTS.md,
seventh session). usage: python benches/report_cost.py (with textmeter
installed)."""
import time, statistics, resource, pickle, textmeter
def med(f, n=21):
    ts=[]
    for _ in range(n):
        t=time.perf_counter(); f(); ts.append(time.perf_counter()-t)
    return statistics.median(ts)*1e3
for cap in (65536, 1<<20, 1<<22):
    a = textmeter.Analyzer(capacity=cap)
    a.update("peace talks resume")
    mid = med(a.report, 7 if cap > 65536 else 21)
    st = med(lambda: pickle.dumps(a), 7 if cap > 65536 else 21)
    a.finish()
    r = a.report()
    fin = med(a.report, 7 if cap > 65536 else 21)
    mg = med(lambda: textmeter.merge([r, r]), 7 if cap > 65536 else 21)
    print(f"capacity {cap}: report() mid-document {mid:.3f} ms, pickle {st:.3f} ms, report() finished {fin:.3f} ms, merge([r, r]) {mg:.3f} ms, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024} MB")
