#!/usr/bin/env python3
"""Where the gzip bytes of the wasm go: each function's and the data section's
share of the deflate stream (gzip_cost.py's bits), then the same by module.

Usage (after named-build.sh TAG and gzip_cost.py /tmp/n/TAG/stripped.wasm):
  gzip_map.py /tmp/n/TAG/stripped.wasm /tmp/n/TAG/opt.wasm [ROWS]
Raw size is a poor guide to gzip size: repeated code (yew's html! expansions)
costs ~2 bits a byte, unique logic ~3.5, pointer tables ~4 (measured 2026-12-05).
"""
import sys, array, re, collections
stripped, named = sys.argv[1], sys.argv[2]
import os; cost = array.array('f'); cost.frombytes(open(os.path.join(os.path.dirname(os.path.abspath(stripped)),'gzcost.bin'),'rb').read())
b = open(stripped,'rb').read()
def leb(buf, p):
    r=0;s=0
    while True:
        x=buf[p];p+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80: return r,p
def sections(buf):
    p=8
    while p<len(buf):
        i=buf[p]; sz,st=leb(buf,p+1); yield i,st,st+sz; p=st+sz
# names from named file
nb=open(named,'rb').read()
names={}; nimports=0
for i,st,en in sections(nb):
    if i==2:
        n,q=leb(nb,st)
        for _ in range(n):
            l,q=leb(nb,q); q+=l; l,q=leb(nb,q); q+=l
            k=nb[q]; q+=1
            if k==0: nimports+=1; _,q=leb(nb,q)
            elif k==1: q+=1; f,q=leb(nb,q); _,q=leb(nb,q); 
            elif k==2: f=nb[q]; q+=1; _,q=leb(nb,q); 
            elif k==3: q+=2
    if i==0:
        l,q=leb(nb,st); nm=nb[q:q+l]; q+=l
        if nm==b'name':
            while q<en:
                sub=nb[q]; sl,s2=leb(nb,q+1)
                if sub==1:
                    c,r=leb(nb,s2)
                    for _ in range(c):
                        idx,r=leb(nb,r); l,r=leb(nb,r); names[idx]=nb[r:r+l].decode('utf8','replace'); r+=l
                q=s2+sl
rows=[]
total=sum(cost)/8
for i,st,en in sections(b):
    c=sum(cost[st:en])/8
    if i==10:
        n,q=leb(b,st); idx=nimports
        for _ in range(n):
            l,body=leb(b,q)
            rows.append((sum(cost[q:body+l])/8, body+l-q, re.sub(r'\[[0-9a-f]+\]','',names.get(idx,'?%d'%idx))))
            q=body+l; idx+=1
    elif i==11:
        rows.append((c,en-st,'DATA SECTION'))
    else:
        rows.append((c,en-st,'section %d'%i))
import pickle; pickle.dump(rows,open(os.path.join(os.path.dirname(os.path.abspath(stripped)),'gzrows.pkl'),'wb'))
rows.sort(reverse=True)
print('total gzip bytes', round(total))
for c,sz,n in rows[:int(sys.argv[3]) if len(sys.argv)>3 else 50]: print(f'{c:8.0f} {sz:7d} {c/sz*8 if sz else 0:5.2f}b/B {n[:150]}')

# data breakdown: text runs vs rest
for i,st,en in sections(b):
    if i==11:
        d=b[st:en]
        t=0.0; o=0.0; tn=0; on=0
        for m in re.finditer(rb'[\x20-\x7e\n\xc2-\xf4\x80-\xbf]{8,}', d):
            pass
        mask=bytearray(len(d))
        for m in re.finditer(rb'[\x20-\x7e\n\xc2-\xf4\x80-\xbf]{8,}', d):
            mask[m.start():m.end()]=b'\x01'*(m.end()-m.start())
        for k in range(len(d)):
            if mask[k]: t+=cost[st+k]; tn+=1
            else: o+=cost[st+k]; on+=1
        print('data text', round(t/8), tn, 'other', round(o/8), on)
agg=collections.Counter()
for c,sz,n in rows:
    m=re.search(r'(maildoctor_core|maildoctor)::([a-z_]+)',n)
    k=m.group(1)+'::'+m.group(2) if m else (n if n.startswith(('DATA','section')) else re.match(r'^<?&?(?:dyn )?([a-z_0-9]+)',n).group(1) if re.match(r'^<?&?(?:dyn )?([a-z_0-9]+)',n) else n[:20])
    agg[k]+=c
for k,v in agg.most_common(40): print(f'{v:8.0f} {k}')
