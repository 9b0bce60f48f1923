#!/usr/bin/env python3
"""Attribute the bits of a gzip -9 stream to the bytes of the input it encodes.

Usage: gzip_cost.py file.wasm -> writes gzcost.bin beside it (float32 per input byte: bits)
A literal's bits go to its byte; a match's bits (length+distance codes and extra
bits) are spread evenly over the bytes it copies. Block headers/trees are spread
over the block.
"""
import sys, zlib, gzip, struct, array

class Bits:
    def __init__(self, data):
        self.data = data; self.pos = 0  # bit position
    def get(self, n):
        v = 0
        for i in range(n):
            byte = self.data[self.pos >> 3]
            v |= ((byte >> (self.pos & 7)) & 1) << i
            self.pos += 1
        return v

def build(lengths):
    # canonical Huffman: returns dict (len, code)->symbol for decoding bit by bit
    maxlen = max(lengths) if lengths else 0
    bl_count = [0] * (maxlen + 1)
    for l in lengths:
        if l: bl_count[l] += 1
    code = 0; next_code = [0] * (maxlen + 2)
    for b in range(1, maxlen + 1):
        code = (code + bl_count[b - 1]) << 1
        next_code[b] = code
    table = {}
    for sym, l in enumerate(lengths):
        if l:
            table[(l, next_code[l])] = sym
            next_code[l] += 1
    return table

def decode_sym(bits, table):
    code = 0; l = 0
    while True:
        code = (code << 1) | bits.get(1); l += 1
        s = table.get((l, code))
        if s is not None: return s, l

LBASE = [3,4,5,6,7,8,9,10,11,13,15,17,19,23,27,31,35,43,51,59,67,83,99,115,131,163,195,227,258]
LEXT = [0,0,0,0,0,0,0,0,1,1,1,1,2,2,2,2,3,3,3,3,4,4,4,4,5,5,5,5,0]
DBASE = [1,2,3,4,5,7,9,13,17,25,33,49,65,97,129,193,257,385,513,769,1025,1537,2049,3073,4097,6145,8193,12289,16385,24577]
DEXT = [0,0,0,0,1,1,2,2,3,3,4,4,5,5,6,6,7,7,8,8,9,9,10,10,11,11,12,12,13,13]

def inflate_costs(raw):
    bits = Bits(raw)
    out = bytearray(); cost = array.array('f')
    while True:
        start_bit = bits.pos
        final = bits.get(1); btype = bits.get(2)
        block_start = len(out)
        if btype == 0:
            bits.pos = (bits.pos + 7) & ~7
            ln = bits.get(16); bits.get(16)
            for _ in range(ln):
                out.append(bits.get(8)); cost.append(8.0)
        else:
            if btype == 1:
                ll = [8]*144 + [9]*112 + [7]*24 + [8]*8
                dl = [5]*30
            else:
                hlit = bits.get(5) + 257; hdist = bits.get(5) + 1; hclen = bits.get(4) + 4
                order = [16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1,15]
                cl = [0]*19
                for i in range(hclen): cl[order[i]] = bits.get(3)
                ct = build(cl)
                lens = []
                while len(lens) < hlit + hdist:
                    s, _ = decode_sym(bits, ct)
                    if s < 16: lens.append(s)
                    elif s == 16: r = 3 + bits.get(2); lens += [lens[-1]] * r
                    elif s == 17: r = 3 + bits.get(3); lens += [0] * r
                    else: r = 11 + bits.get(7); lens += [0] * r
                ll = lens[:hlit]; dl = lens[hlit:]
            header_bits = bits.pos - start_bit
            lt = build(ll); dt = build(dl)
            while True:
                s, nb = decode_sym(bits, lt)
                if s < 256:
                    out.append(s); cost.append(float(nb))
                elif s == 256:
                    break
                else:
                    i = s - 257
                    length = LBASE[i] + bits.get(LEXT[i]); nb += LEXT[i]
                    d, nd = decode_sym(bits, dt)
                    dist = DBASE[d] + bits.get(DEXT[d]); nb += nd + DEXT[d]
                    per = nb / length
                    for _ in range(length):
                        out.append(out[-dist]); cost.append(per)
            # spread the block header over the block
            n = len(out) - block_start
            if n:
                per = header_bits / n
                for k in range(block_start, len(out)): cost[k] += per
        if final: break
    return bytes(out), cost

if __name__ == '__main__':
    data = open(sys.argv[1], 'rb').read()
    gz = gzip.compress(data, 9)
    # strip gzip header (10 bytes, no extra fields from python) and trailer
    raw = gz[10:-8]
    out, cost = inflate_costs(raw)
    assert out == data, 'mismatch'
    print('gzip', len(gz), 'bits', sum(cost) / 8)
    import os; cost.tofile(open(os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), 'gzcost.bin'), 'wb'))
