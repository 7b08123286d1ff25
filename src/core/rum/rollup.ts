// Mergeable rollups (DESIGN.md "Where data lives"): what a report needs of an hour of events,
// kept up to date as events arrive, so a report merges rollups instead of re-reading raw
// events. Per metric, overall, per value of each segment dimension and per page × form factor:
// a DDSketch for p50/p75/p95 and exact counts of samples at or below each rating threshold
// (the verdict and the good/NI/poor shares come from the counts, never from the sketch). Plus
// the page's worst attribution target, page views, engagement, and sessions (exact sets) for
// conversion rates. Everything merges by addition or union, so hours and collectors combine in
// any order.
import type { DDSketch } from '@datadog/sketches-js';
import { DIMENSIONS, type Dimension, type RumEvent, type WebVitalEvent } from './events.js';
import { THRESHOLDS, type MetricName } from './metrics.js';
import { mergeSketchJson, newSketch, sketchToJson, type SketchJson } from './sketch.js';

/** distinct values kept per dimension and hour; the rest count under OTHER (as CrUX groups a long tail) */
export const MAX_SEGMENT_VALUES = 500;
export const OTHER = '(other)';

export class Digest {
  sketch: DDSketch = newSketch();
  /** samples at or below the "good" threshold */
  good = 0;
  /** samples at or below the "poor" threshold (good ones included) */
  notPoor = 0;

  get count(): number {
    return this.sketch.count;
  }

  add(metric: MetricName, value: number): void {
    this.sketch.accept(value);
    const [g, p] = THRESHOLDS[metric];
    if (value <= g) this.good++;
    if (value <= p) this.notPoor++;
  }

  merge(d: Digest | DigestJson): void {
    if (d instanceof Digest) this.sketch.merge(d.sketch);
    else mergeSketchJson(d.s, this.sketch);
    this.good += d.good;
    this.notPoor += d.notPoor;
  }

  toJson(): DigestJson {
    return { s: sketchToJson(this.sketch), good: this.good, notPoor: this.notPoor };
  }
}

export interface DigestJson {
  s: SketchJson;
  good: number;
  notPoor: number;
}

export interface MetricRollupJson {
  all: DigestJson;
  by: Record<Dimension, Record<string, DigestJson>>;
  /** key: page + "\u0000" + device */
  pageDevice: Record<string, DigestJson>;
}

export interface WorstTarget {
  target: string;
  value: number;
}

export interface HourRollupJson {
  v: 1;
  hour: number;
  events: number;
  metrics: Partial<Record<MetricName, MetricRollupJson>>;
  worst: Record<string, Partial<Record<MetricName, WorstTarget>>>;
  pageviews: Record<string, number>;
  engagement: { events: number; interactions: number; visibleMs: number };
  conversions: { count: number; value: number; byName: Record<string, { count: number; value: number }> };
  /** session ids, all and by version and page; and those with a conversion */
  sessions: SessionSetsJson;
  converted: SessionSetsJson;
}

export interface SessionSetsJson {
  all: string[];
  version: Record<string, string[]>;
  page: Record<string, string[]>;
}

class SessionSets {
  all = new Set<string>();
  version = new Map<string, Set<string>>();
  page = new Map<string, Set<string>>();

  add(e: { sessionId: string; version: string; page: string }): void {
    this.all.add(e.sessionId);
    into(this.version, capped(this.version, e.version)).add(e.sessionId);
    into(this.page, capped(this.page, e.page)).add(e.sessionId);
  }

  merge(j: SessionSetsJson): void {
    for (const s of j.all) this.all.add(s);
    for (const [k, ids] of Object.entries(j.version)) for (const s of ids) into(this.version, k).add(s);
    for (const [k, ids] of Object.entries(j.page)) for (const s of ids) into(this.page, k).add(s);
  }

  toJson(): SessionSetsJson {
    const obj = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v]]));
    return { all: [...this.all], version: obj(this.version), page: obj(this.page) };
  }
}

function into<V extends object>(m: Map<string, V>, key: string, make: () => V = () => new Set() as unknown as V): V {
  let v = m.get(key);
  if (!v) m.set(key, (v = make()));
  return v;
}

/** the value itself while the dimension has room, else OTHER */
function capped(m: Map<string, unknown>, value: string): string {
  return m.has(value) || m.size < MAX_SEGMENT_VALUES ? value : OTHER;
}

class MetricRollup {
  all = new Digest();
  by = Object.fromEntries(DIMENSIONS.map((d) => [d, new Map<string, Digest>()])) as Record<Dimension, Map<string, Digest>>;
  pageDevice = new Map<string, Digest>();

  add(e: WebVitalEvent): void {
    this.all.add(e.name, e.value);
    for (const d of DIMENSIONS) {
      const m = this.by[d];
      into(m, capped(m, e[d]), () => new Digest()).add(e.name, e.value);
    }
    into(this.pageDevice, capped(this.pageDevice, `${e.page}\u0000${e.device}`), () => new Digest()).add(e.name, e.value);
  }

  merge(j: MetricRollupJson): void {
    this.all.merge(j.all);
    for (const d of DIMENSIONS) for (const [k, dj] of Object.entries(j.by[d] ?? {})) into(this.by[d], k, () => new Digest()).merge(dj);
    for (const [k, dj] of Object.entries(j.pageDevice)) into(this.pageDevice, k, () => new Digest()).merge(dj);
  }

  toJson(): MetricRollupJson {
    const obj = (m: Map<string, Digest>) => Object.fromEntries([...m].map(([k, v]) => [k, v.toJson()]));
    return {
      all: this.all.toJson(),
      by: Object.fromEntries(DIMENSIONS.map((d) => [d, obj(this.by[d])])) as Record<Dimension, Record<string, DigestJson>>,
      pageDevice: obj(this.pageDevice),
    };
  }
}

/** One or more hours of events, merged. Events and stored rollups go in; JSON comes out. */
export class Rollup {
  metrics = new Map<MetricName, MetricRollup>();
  worst = new Map<string, Partial<Record<MetricName, WorstTarget>>>();
  pageviews = new Map<string, number>();
  engagement = { events: 0, interactions: 0, visibleMs: 0 };
  conversions = { count: 0, value: 0, byName: new Map<string, { count: number; value: number }>() };
  sessions = new SessionSets();
  converted = new SessionSets();
  /** events added (stored rollups count theirs through merge) */
  events = 0;

  constructor(readonly hour: number) {}

  add(e: RumEvent): void {
    this.events++;
    this.sessions.add(e);
    switch (e.type) {
      case 'web-vital': {
        into(this.metrics, e.name, () => new MetricRollup()).add(e);
        const target = e.attribution?.target;
        if (target) {
          const w = into<Partial<Record<MetricName, WorstTarget>>>(this.worst, capped(this.worst, e.page), () => ({}));
          if (!w[e.name] || e.value > w[e.name]!.value) w[e.name] = { target, value: e.value };
        }
        break;
      }
      case 'pageview':
        {
          const k = capped(this.pageviews, e.page);
          this.pageviews.set(k, (this.pageviews.get(k) ?? 0) + 1);
        }
        break;
      case 'engagement':
        this.engagement.events++;
        this.engagement.interactions += e.interactions;
        this.engagement.visibleMs += e.visibleMs;
        break;
      case 'conversion': {
        this.conversions.count++;
        this.conversions.value += e.value;
        const n = into(this.conversions.byName, capped(this.conversions.byName, e.name), () => ({ count: 0, value: 0 }));
        n.count++;
        n.value += e.value;
        this.converted.add(e);
        break;
      }
    }
  }

  merge(j: HourRollupJson): void {
    this.events += j.events;
    for (const [m, mj] of Object.entries(j.metrics) as [MetricName, MetricRollupJson][])
      into(this.metrics, m, () => new MetricRollup()).merge(mj);
    for (const [page, byMetric] of Object.entries(j.worst)) {
      const w = into<Partial<Record<MetricName, WorstTarget>>>(this.worst, page, () => ({}));
      for (const [m, t] of Object.entries(byMetric) as [MetricName, WorstTarget][]) if (!w[m] || t.value > w[m]!.value) w[m] = t;
    }
    for (const [page, n] of Object.entries(j.pageviews)) this.pageviews.set(page, (this.pageviews.get(page) ?? 0) + n);
    this.engagement.events += j.engagement.events;
    this.engagement.interactions += j.engagement.interactions;
    this.engagement.visibleMs += j.engagement.visibleMs;
    this.conversions.count += j.conversions.count;
    this.conversions.value += j.conversions.value;
    for (const [name, c] of Object.entries(j.conversions.byName)) {
      const n = into(this.conversions.byName, name, () => ({ count: 0, value: 0 }));
      n.count += c.count;
      n.value += c.value;
    }
    this.sessions.merge(j.sessions);
    this.converted.merge(j.converted);
  }

  toJson(): HourRollupJson {
    return {
      v: 1,
      hour: this.hour,
      events: this.events,
      metrics: Object.fromEntries([...this.metrics].map(([m, r]) => [m, r.toJson()])),
      worst: Object.fromEntries(this.worst),
      pageviews: Object.fromEntries(this.pageviews),
      engagement: { ...this.engagement },
      conversions: { count: this.conversions.count, value: this.conversions.value, byName: Object.fromEntries(this.conversions.byName) },
      sessions: this.sessions.toJson(),
      converted: this.converted.toJson(),
    };
  }
}

export const HOUR_MS = 3_600_000;
export const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;
