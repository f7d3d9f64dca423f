/**
 * Complex FFTs of any length, after pocketfft (NumPy's FFT library): a Cooley-Tukey plan of
 * Stockham passes of radix 4, 2, 3, 5 and any odd factor, and Bluestein's chirp-z algorithm
 * where a large prime factor would make the passes slow. Data are interleaved (re, im)
 * Float64Arrays; a transform is unnormalised (the caller scales). Side-effect free: worker
 * threads import it through tasks/index.ts.
 */

/** An unnormalised complex DFT of one length: forward is exp(-2πi jk/n), backward exp(+2πi jk/n). */
export interface ComplexPlan {
  readonly n: number;
  /** Transform `c` (2n lanes) in place; `work` is scratch of at least `scratch` lanes. */
  exec(c: Float64Array, work: Float64Array, forward: boolean): void;
  readonly scratch: number;
  /** Lanes of tables the plan holds (twiddles, chirps), for the cache's budget. */
  readonly lanes: number;
}

/** cos and sin of 2πk/n, reduced to the first octant so that large k keep full accuracy. */
export function unitRoot(k: number, n: number): [number, number] {
  k %= n;
  if (k < 0) k += n;
  const k4 = 4 * k;
  const q = Math.floor(k4 / n);
  const r = k4 - q * n; // angle within the quadrant: (π/2)·r/n
  let c: number, s: number;
  if (2 * r <= n) {
    const a = (Math.PI / 2) * (r / n);
    c = Math.cos(a);
    s = Math.sin(a);
  } else {
    const a = (Math.PI / 2) * ((n - r) / n);
    c = Math.sin(a);
    s = Math.cos(a);
  }
  switch (q) {
    case 0:
      return [c, s];
    case 1:
      return [-s, c];
    case 2:
      return [-c, -s];
    default:
      return [s, -c];
  }
}

/** pocketfft's factorisation: 4s first, then one 2 (moved to the front), then odd factors. */
function factorize(n: number): number[] {
  const f: number[] = [];
  let len = n;
  while (len % 4 === 0) {
    f.push(4);
    len /= 4;
  }
  if (len % 2 === 0) {
    len /= 2;
    f.push(2);
    [f[0], f[f.length - 1]] = [f[f.length - 1], f[0]];
  }
  for (let d = 3; d * d <= len; d += 2)
    while (len % d === 0) {
      f.push(d);
      len /= d;
    }
  if (len > 1) f.push(len);
  return f;
}

/** pocketfft's estimate of a Cooley-Tukey plan's cost, to choose it or Bluestein's algorithm. */
function costGuess(n: number): number {
  const ni = n;
  let result = 0;
  while (n % 2 === 0) {
    result += 2;
    n /= 2;
  }
  for (let x = 3; x * x <= n; x += 2)
    while (n % x === 0) {
      result += x <= 5 ? x : 1.1 * x;
      n /= x;
    }
  if (n > 1) result += n <= 5 ? n : 1.1 * n;
  return result * ni;
}

/** The smallest product of 2, 3 and 5 that is >= n (pocketfft's good_size). */
export function goodSize(n: number): number {
  if (n <= 6) return n;
  let best = 2 * n;
  for (let f2 = 1; f2 < best; f2 *= 2)
    for (let f23 = f2; f23 < best; f23 *= 3) for (let f235 = f23; f235 < best; f235 *= 5) if (f235 >= n) best = f235;
  return best;
}

function largestPrimeFactor(n: number): number {
  let r = 1;
  while (n % 2 === 0) {
    r = 2;
    n /= 2;
  }
  for (let x = 3; x * x <= n; x += 2)
    while (n % x === 0) {
      r = x;
      n /= x;
    }
  return n > 1 ? n : r;
}

/** One Stockham pass: radix `ip` over l1 groups of ido, with its twiddles exp(2πi·m·l1·i/n). */
export interface Pass {
  ip: number;
  l1: number;
  ido: number;
  /** (ip-1)·ido twiddles, interleaved: tw[2((m-1)·ido+i)] is the m-th twiddle of column i. */
  tw: Float64Array;
  /** The same, conjugated (forward transforms). */
  twf: Float64Array;
  /** Generic odd radix: exp(2πi·m/ip), interleaved. */
  roots: Float64Array | null;
}

const TAU3 = Math.sqrt(3) / 2;
const C51 = Math.cos((2 * Math.PI) / 5),
  S51 = Math.sin((2 * Math.PI) / 5),
  C52 = Math.cos((4 * Math.PI) / 5),
  S52 = Math.sin((4 * Math.PI) / 5);

/*
 * Pass layout (pocketfft's cfftp): input element (i, j, k) at i + ido·(j + ip·k), output
 * (i, k, m) at i + ido·(k + l1·m), for column i < ido, group k < l1, j, m < ip. Each column's
 * ip inputs get a DFT of length ip, then output m (m ≥ 1, i ≥ 1) is multiplied by the twiddle
 * exp(∓2πi·m·l1·i/n). `sg` is -1 forward, +1 backward.
 */

function pass2(p: Pass, cc: Float64Array, ch: Float64Array, sg: number): void {
  const { l1, ido } = p;
  const tw = sg < 0 ? p.twf : p.tw;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a = 2 * (i + ido * 2 * k),
        b = a + 2 * ido;
      const ar = cc[a],
        ai = cc[a + 1],
        br = cc[b],
        bi = cc[b + 1];
      const o0 = 2 * (i + ido * k),
        o1 = o0 + 2 * ido * l1;
      ch[o0] = ar + br;
      ch[o0 + 1] = ai + bi;
      const dr = ar - br,
        di = ai - bi;
      if (i === 0) {
        ch[o1] = dr;
        ch[o1 + 1] = di;
      } else {
        const wr = tw[2 * i],
          wi = tw[2 * i + 1];
        ch[o1] = dr * wr - di * wi;
        ch[o1 + 1] = dr * wi + di * wr;
      }
    }
  }
}

function pass3(p: Pass, cc: Float64Array, ch: Float64Array, sg: number): void {
  const { l1, ido } = p;
  const tw = sg < 0 ? p.twf : p.tw;
  const s = sg * TAU3;
  const sc = 2 * ido,
    so = 2 * ido * l1;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a = 2 * (i + ido * 3 * k);
      const a0r = cc[a],
        a0i = cc[a + 1],
        a1r = cc[a + sc],
        a1i = cc[a + sc + 1],
        a2r = cc[a + 2 * sc],
        a2i = cc[a + 2 * sc + 1];
      const tr = a1r + a2r,
        ti = a1i + a2i;
      const cr = a0r - 0.5 * tr,
        ci = a0i - 0.5 * ti;
      // ±i·(√3/2)·(a1 - a2)
      const dr = -s * (a1i - a2i),
        di = s * (a1r - a2r);
      const o = 2 * (i + ido * k);
      ch[o] = a0r + tr;
      ch[o + 1] = a0i + ti;
      let y1r = cr + dr,
        y1i = ci + di,
        y2r = cr - dr,
        y2i = ci - di;
      if (i > 0) {
        let wr = tw[2 * i],
          wi = tw[2 * i + 1];
        let t = y1r * wr - y1i * wi;
        y1i = y1r * wi + y1i * wr;
        y1r = t;
        wr = tw[2 * (ido + i)];
        wi = tw[2 * (ido + i) + 1];
        t = y2r * wr - y2i * wi;
        y2i = y2r * wi + y2i * wr;
        y2r = t;
      }
      ch[o + so] = y1r;
      ch[o + so + 1] = y1i;
      ch[o + 2 * so] = y2r;
      ch[o + 2 * so + 1] = y2i;
    }
  }
}

function pass4(p: Pass, cc: Float64Array, ch: Float64Array, sg: number): void {
  const { l1, ido } = p;
  const tw = sg < 0 ? p.twf : p.tw;
  const sc = 2 * ido,
    so = 2 * ido * l1;
  for (let k = 0; k < l1; k++) {
    const base = 2 * ido * 4 * k,
      obase = 2 * ido * k;
    // Column 0 carries no twiddles.
    {
      const a = base;
      const a0r = cc[a],
        a0i = cc[a + 1],
        a1r = cc[a + sc],
        a1i = cc[a + sc + 1],
        a2r = cc[a + 2 * sc],
        a2i = cc[a + 2 * sc + 1],
        a3r = cc[a + 3 * sc],
        a3i = cc[a + 3 * sc + 1];
      const s0r = a0r + a2r,
        s0i = a0i + a2i,
        d0r = a0r - a2r,
        d0i = a0i - a2i,
        s1r = a1r + a3r,
        s1i = a1i + a3i;
      // ω·(a1 - a3), ω = sg·i
      const e1r = -sg * (a1i - a3i),
        e1i = sg * (a1r - a3r);
      const o = obase;
      ch[o] = s0r + s1r;
      ch[o + 1] = s0i + s1i;
      ch[o + so] = d0r + e1r;
      ch[o + so + 1] = d0i + e1i;
      ch[o + 2 * so] = s0r - s1r;
      ch[o + 2 * so + 1] = s0i - s1i;
      ch[o + 3 * so] = d0r - e1r;
      ch[o + 3 * so + 1] = d0i - e1i;
    }
    for (let i = 1; i < ido; i++) {
      const a = base + 2 * i;
      const a0r = cc[a],
        a0i = cc[a + 1],
        a1r = cc[a + sc],
        a1i = cc[a + sc + 1],
        a2r = cc[a + 2 * sc],
        a2i = cc[a + 2 * sc + 1],
        a3r = cc[a + 3 * sc],
        a3i = cc[a + 3 * sc + 1];
      const s0r = a0r + a2r,
        s0i = a0i + a2i,
        d0r = a0r - a2r,
        d0i = a0i - a2i,
        s1r = a1r + a3r,
        s1i = a1i + a3i;
      const e1r = -sg * (a1i - a3i),
        e1i = sg * (a1r - a3r);
      const o = obase + 2 * i;
      ch[o] = s0r + s1r;
      ch[o + 1] = s0i + s1i;
      let yr = d0r + e1r,
        yi = d0i + e1i,
        w = 2 * i,
        wr = tw[w],
        wi = tw[w + 1];
      ch[o + so] = yr * wr - yi * wi;
      ch[o + so + 1] = yr * wi + yi * wr;
      yr = s0r - s1r;
      yi = s0i - s1i;
      w = 2 * (ido + i);
      wr = tw[w];
      wi = tw[w + 1];
      ch[o + 2 * so] = yr * wr - yi * wi;
      ch[o + 2 * so + 1] = yr * wi + yi * wr;
      yr = d0r - e1r;
      yi = d0i - e1i;
      w = 2 * (2 * ido + i);
      wr = tw[w];
      wi = tw[w + 1];
      ch[o + 3 * so] = yr * wr - yi * wi;
      ch[o + 3 * so + 1] = yr * wi + yi * wr;
    }
  }
}

function pass5(p: Pass, cc: Float64Array, ch: Float64Array, sg: number): void {
  const { l1, ido } = p;
  const tw = sg < 0 ? p.twf : p.tw;
  const sc = 2 * ido,
    so = 2 * ido * l1;
  const s1 = sg * S51,
    s2 = sg * S52;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a = 2 * (i + ido * 5 * k);
      const a0r = cc[a],
        a0i = cc[a + 1];
      const b1r = cc[a + sc],
        b1i = cc[a + sc + 1],
        b2r = cc[a + 2 * sc],
        b2i = cc[a + 2 * sc + 1],
        b3r = cc[a + 3 * sc],
        b3i = cc[a + 3 * sc + 1],
        b4r = cc[a + 4 * sc],
        b4i = cc[a + 4 * sc + 1];
      const t1r = b1r + b4r,
        t1i = b1i + b4i,
        t4r = b1r - b4r,
        t4i = b1i - b4i,
        t2r = b2r + b3r,
        t2i = b2i + b3i,
        t3r = b2r - b3r,
        t3i = b2i - b3i;
      const c1r = a0r + C51 * t1r + C52 * t2r,
        c1i = a0i + C51 * t1i + C52 * t2i,
        c2r = a0r + C52 * t1r + C51 * t2r,
        c2i = a0i + C52 * t1i + C51 * t2i;
      // i·sg·(s1·t4 + s2·t3) and i·sg·(s2·t4 - s1·t3)
      const u1r = s1 * t4r + s2 * t3r,
        u1i = s1 * t4i + s2 * t3i,
        u2r = s2 * t4r - s1 * t3r,
        u2i = s2 * t4i - s1 * t3i;
      let y1r = c1r - u1i,
        y1i = c1i + u1r,
        y4r = c1r + u1i,
        y4i = c1i - u1r,
        y2r = c2r - u2i,
        y2i = c2i + u2r,
        y3r = c2r + u2i,
        y3i = c2i - u2r;
      const o = 2 * (i + ido * k);
      ch[o] = a0r + t1r + t2r;
      ch[o + 1] = a0i + t1i + t2i;
      if (i > 0) {
        let w = 2 * i,
          wr = tw[w],
          wi = tw[w + 1],
          t = y1r * wr - y1i * wi;
        y1i = y1r * wi + y1i * wr;
        y1r = t;
        w += 2 * ido;
        wr = tw[w];
        wi = tw[w + 1];
        t = y2r * wr - y2i * wi;
        y2i = y2r * wi + y2i * wr;
        y2r = t;
        w += 2 * ido;
        wr = tw[w];
        wi = tw[w + 1];
        t = y3r * wr - y3i * wi;
        y3i = y3r * wi + y3i * wr;
        y3r = t;
        w += 2 * ido;
        wr = tw[w];
        wi = tw[w + 1];
        t = y4r * wr - y4i * wi;
        y4i = y4r * wi + y4i * wr;
        y4r = t;
      }
      ch[o + so] = y1r;
      ch[o + so + 1] = y1i;
      ch[o + 2 * so] = y2r;
      ch[o + 2 * so + 1] = y2i;
      ch[o + 3 * so] = y3r;
      ch[o + 3 * so + 1] = y3i;
      ch[o + 4 * so] = y4r;
      ch[o + 4 * so + 1] = y4i;
    }
  }
}

/** Any radix: a direct DFT of length ip per column (used for odd primes above 5). */
function passGeneric(p: Pass, cc: Float64Array, ch: Float64Array, sg: number): void {
  const { ip, l1, ido } = p;
  const tw = sg < 0 ? p.twf : p.tw;
  const roots = p.roots as Float64Array;
  const sc = 2 * ido,
    so = 2 * ido * l1;
  const xr = new Float64Array(ip),
    xi = new Float64Array(ip);
  const half = (ip - 1) / 2;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const a = 2 * (i + ido * ip * k);
      for (let j = 0; j < ip; j++) {
        xr[j] = cc[a + j * sc];
        xi[j] = cc[a + j * sc + 1];
      }
      const o = 2 * (i + ido * k);
      let r0 = xr[0],
        i0 = xi[0];
      for (let j = 1; j < ip; j++) {
        r0 += xr[j];
        i0 += xi[j];
      }
      ch[o] = r0;
      ch[o + 1] = i0;
      // Outputs m and ip-m share the sums of the symmetric pairs (j, ip-j).
      for (let m = 1; m <= half; m++) {
        let ar = xr[0],
          ai = xi[0],
          br = 0,
          bi = 0;
        let idx = 0;
        for (let j = 1; j <= half; j++) {
          idx += m;
          if (idx >= ip) idx -= ip;
          const c = roots[2 * idx],
            s = sg * roots[2 * idx + 1];
          const pr = xr[j] + xr[ip - j],
            pi = xi[j] + xi[ip - j],
            qr = xr[j] - xr[ip - j],
            qi = xi[j] - xi[ip - j];
          ar += c * pr;
          ai += c * pi;
          // i·s·q
          br -= s * qi;
          bi += s * qr;
        }
        let y1r = ar + br,
          y1i = ai + bi,
          y2r = ar - br,
          y2i = ai - bi;
        if (i > 0) {
          let w = 2 * ((m - 1) * ido + i),
            wr = tw[w],
            wi = tw[w + 1];
          let t = y1r * wr - y1i * wi;
          y1i = y1r * wi + y1i * wr;
          y1r = t;
          w = 2 * ((ip - m - 1) * ido + i);
          wr = tw[w];
          wi = tw[w + 1];
          t = y2r * wr - y2i * wi;
          y2i = y2r * wi + y2i * wr;
          y2r = t;
        }
        ch[o + m * so] = y1r;
        ch[o + m * so + 1] = y1i;
        ch[o + (ip - m) * so] = y2r;
        ch[o + (ip - m) * so + 1] = y2i;
      }
    }
  }
}

/** Cooley-Tukey: one Stockham pass per factor, alternating between the data and the scratch. */
export class CooleyTukey implements ComplexPlan {
  readonly passes: Pass[] = [];
  readonly scratch: number;
  constructor(readonly n: number) {
    this.scratch = 2 * n;
    if (n === 1) return;
    let l1 = 1;
    for (const ip of factorize(n)) {
      const ido = n / (l1 * ip);
      const tw = new Float64Array(2 * (ip - 1) * ido);
      for (let m = 1; m < ip; m++)
        for (let i = 1; i < ido; i++) {
          const [c, s] = unitRoot(m * l1 * i, n);
          tw[2 * ((m - 1) * ido + i)] = c;
          tw[2 * ((m - 1) * ido + i) + 1] = s;
        }
      let roots: Float64Array | null = null;
      if (ip > 5) {
        roots = new Float64Array(2 * ip);
        for (let m = 0; m < ip; m++) [roots[2 * m], roots[2 * m + 1]] = unitRoot(m, ip);
      }
      const twf = tw.map((v, j) => (j % 2 === 1 ? -v : v));
      this.passes.push({ ip, l1, ido, tw, twf, roots });
      l1 *= ip;
    }
  }
  get lanes(): number {
    return this.passes.reduce((t, p) => t + 2 * p.tw.length + (p.roots?.length ?? 0), 0);
  }
  exec(c: Float64Array, work: Float64Array, forward: boolean): void {
    const sg = forward ? -1 : 1;
    let src = c,
      dst = work;
    for (const p of this.passes) {
      if (p.ip === 4) pass4(p, src, dst, sg);
      else if (p.ip === 2) pass2(p, src, dst, sg);
      else if (p.ip === 3) pass3(p, src, dst, sg);
      else if (p.ip === 5) pass5(p, src, dst, sg);
      else passGeneric(p, src, dst, sg);
      [src, dst] = [dst, src];
    }
    if (src !== c) c.set(src.subarray(0, 2 * this.n));
  }
}

/**
 * Bluestein: jk = (j² + k² - (k-j)²)/2 turns the DFT into a convolution with the chirp
 * b_m = exp(iπm²/n), computed with FFTs of a length n2 ≥ 2n-1 that has only small factors.
 */
export class Bluestein implements ComplexPlan {
  readonly plan: CooleyTukey;
  readonly n2: number;
  /** b_m for m < n. */
  readonly bk: Float64Array;
  /** FFT of the chirp's circular extension, divided by n2. */
  readonly bkf: Float64Array;
  readonly scratch: number;
  constructor(readonly n: number) {
    const n2 = goodSize(2 * n - 1);
    this.n2 = n2;
    this.plan = new CooleyTukey(n2);
    this.scratch = 4 * n2;
    ({ bk: this.bk, bkf: this.bkf } = chirpTables(n, this.plan));
  }
  get lanes(): number {
    return this.plan.lanes + this.bk.length + this.bkf.length;
  }
  exec(c: Float64Array, work: Float64Array, forward: boolean): void {
    const { n, n2, bk, bkf } = this;
    const a = work.subarray(0, 2 * n2),
      w = work.subarray(2 * n2, 4 * n2);
    // Forward: a_j = x_j·conj(b_j); backward: x_j·b_j.
    const s = forward ? -1 : 1;
    for (let m = 0; m < n; m++) {
      const xr = c[2 * m],
        xi = c[2 * m + 1],
        br = bk[2 * m],
        bi = s * bk[2 * m + 1];
      a[2 * m] = xr * br - xi * bi;
      a[2 * m + 1] = xr * bi + xi * br;
    }
    a.fill(0, 2 * n);
    this.plan.exec(a, w, true);
    // The chirp is even, so its transform is too; backward convolves with conj(b): conj(bkf).
    for (let m = 0; m < n2; m++) {
      const ar = a[2 * m],
        ai = a[2 * m + 1],
        br = bkf[2 * m],
        bi = -s * bkf[2 * m + 1];
      a[2 * m] = ar * br - ai * bi;
      a[2 * m + 1] = ar * bi + ai * br;
    }
    this.plan.exec(a, w, false);
    for (let m = 0; m < n; m++) {
      const ar = a[2 * m],
        ai = a[2 * m + 1],
        br = bk[2 * m],
        bi = s * bk[2 * m + 1];
      c[2 * m] = ar * br - ai * bi;
      c[2 * m + 1] = ar * bi + ai * br;
    }
  }
}

/**
 * Bluestein's tables for n points convolved by `plan` (length n2 ≥ 2n-1): the chirp
 * b_m = exp(iπm²/n) for m < n, and the transform of its circular extension divided by n2.
 */
export function chirpTables(n: number, plan: CooleyTukey): { bk: Float64Array; bkf: Float64Array } {
  const n2 = plan.n;
  const bk = new Float64Array(2 * n);
  // m² mod 2n in exact integer steps: (m+1)² = m² + 2m + 1.
  let sq = 0;
  for (let m = 0; m < n; m++) {
    [bk[2 * m], bk[2 * m + 1]] = unitRoot(sq, 2 * n);
    sq += 2 * m + 1;
    if (sq >= 2 * n) sq -= 2 * n;
  }
  const bkf = new Float64Array(2 * n2);
  const f = 1 / n2;
  bkf[0] = bk[0] * f;
  bkf[1] = bk[1] * f;
  for (let m = 1; m < n; m++) {
    bkf[2 * m] = bkf[2 * (n2 - m)] = bk[2 * m] * f;
    bkf[2 * m + 1] = bkf[2 * (n2 - m) + 1] = bk[2 * m + 1] * f;
  }
  plan.exec(bkf, new Float64Array(2 * n2), true);
  return { bk, bkf };
}

/** pocketfft's choice: Cooley-Tukey unless a large prime factor makes Bluestein cheaper. */
function makePlan(n: number): ComplexPlan {
  const lpf = n < 50 ? 0 : largestPrimeFactor(n);
  if (lpf * lpf <= n) return new CooleyTukey(n);
  const direct = costGuess(n);
  const blue = 2 * costGuess(goodSize(2 * n - 1)) * 1.5;
  return blue < direct ? new Bluestein(n) : new CooleyTukey(n);
}

const plans = new Map<number, ComplexPlan>();
let cachedLanes = 0;
/** At most this many lanes of tables stay cached per thread (128 MiB). */
const CACHE_LANES = 2 ** 24;

/** The plan for length n, built once per thread (twiddles and chirps are the costly part). */
export function complexPlan(n: number): ComplexPlan {
  let p = plans.get(n);
  if (!p) {
    p = makePlan(n);
    if (plans.size >= 64 || cachedLanes + p.lanes > CACHE_LANES) {
      plans.clear();
      cachedLanes = 0;
    }
    plans.set(n, p);
    cachedLanes += p.lanes;
  }
  return p;
}
