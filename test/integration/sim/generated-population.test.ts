import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constraintViolations } from '../../../sim/convert/constraints.js';
import { SHARED_FIXTURES_DIR, type Simulator, startSimulator } from '../../../sim/index.js';
import type { WebTemplate } from '../../../src/template/index.js';
import { call } from './http.js';

describe('the demo population, generated from the demo web templates', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, ehrs: 300, compositions: 6000, includeOriginals: false });
  });
  afterAll(() => sim.close());

  it('has at least 20 distinct first diagnoses, skewed, and a patient keeps theirs', () => {
    const counts = new Map<string, number>();
    const perPatient = new Map<string, Set<string>>();
    for (const c of sim.control.liveCompositions('problem_list.v1')) {
      const code = sim.control.getFlat(c.uid)![
        'problem_list/problem_diagnosis:0/problem_diagnosis_name|code'
      ];
      expect(typeof code).toBe('string');
      counts.set(code as string, (counts.get(code as string) ?? 0) + 1);
      const s = perPatient.get(c.ehrId) ?? new Set<string>();
      s.add(code as string);
      perPatient.set(c.ehrId, s);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(counts.size).toBeGreaterThanOrEqual(20);
    // Skewed: the most common diagnosis is far more frequent than the median one.
    expect(sorted[0]!).toBeGreaterThan(5 * sorted[Math.floor(sorted.length / 2)]!);
    expect([...perPatient.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('reports lab panels of several analytes, each with a name and a value in the analyte unit', () => {
    let panels = 0;
    for (const c of sim.control.liveCompositions('lab_results.v1')) {
      const flat = sim.control.getFlat(c.uid)!;
      const names = Object.keys(flat).filter((k) => k.endsWith('/analyte_name'));
      if (!Object.keys(flat).some((k) => k.includes('/any_event:0/'))) continue;
      panels++;
      expect(names.length).toBeGreaterThanOrEqual(3);
      for (const k of names)
        expect(flat[k.replace('/analyte_name', '/result_value|magnitude')]).toBeTypeOf('number');
      const hb = names.find((k) => flat[k] === 'Haemoglobin');
      if (hb) expect(flat[hb.replace('/analyte_name', '/result_value|unit')]).toBe('g/dL');
    }
    expect(panels).toBeGreaterThan(100);
  });

  it('varies systolic pressure around each patient’s own baseline', () => {
    const byPatient = new Map<string, number[]>();
    for (const c of sim.control.liveCompositions('vital_signs.v1')) {
      const v = sim.control.getFlat(c.uid)!['vital_signs/blood_pressure:0/any_event:0/systolic|magnitude'];
      if (typeof v !== 'number') continue;
      expect(v).toBeGreaterThan(60);
      expect(v).toBeLessThan(220);
      byPatient.set(c.ehrId, [...(byPatient.get(c.ehrId) ?? []), v]);
    }
    const groups = [...byPatient.values()].filter((g) => g.length >= 3);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
    const within = mean(groups.map(sd));
    const between = sd(groups.map(mean));
    expect(groups.length).toBeGreaterThan(50);
    expect(between).toBeGreaterThan(1.5 * within);
  });

  it('dates context start times before the commit and events around them', () => {
    for (const c of [...sim.control.liveCompositions('vital_signs.v1')].slice(0, 200)) {
      const flat = sim.control.getFlat(c.uid)!;
      const start = Date.parse(flat['vital_signs/context/start_time'] as string);
      expect(start).toBeLessThanOrEqual(Date.parse(c.timeCommitted));
      for (const [k, v] of Object.entries(flat))
        if (k.endsWith('/time')) expect(Math.abs(Date.parse(v as string) - start)).toBeLessThan(86_400_000);
    }
  });
});

describe('populations of the OPTs in ../shared (atlas-sim --templates DIR)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      templateFiles: [`${SHARED_FIXTURES_DIR}/templates`],
      ehrs: 50,
      compositions: 2500,
    });
  });
  afterAll(() => sim.close());

  it('serves every template with valid compositions in FLAT and canonical form', async () => {
    const ids = sim.control.templateIds();
    expect(ids.length).toBe(25);
    const wts = new Map<string, WebTemplate>();
    for (const id of ids) {
      const res = await call(`${sim.baseUrl}/definition/template/adl1.4/${encodeURIComponent(id)}`, {
        headers: { accept: 'application/openehr.wt+json' },
      });
      wts.set(id, res.json as WebTemplate);
    }
    for (const id of ids) {
      const live = [...sim.control.liveCompositions(id)].slice(0, 10);
      expect(live.length).toBeGreaterThan(0);
      for (const c of live) {
        const flat = await call(`${sim.baseUrl}/ehr/${c.ehrId}/composition/${c.objectId}?format=FLAT`);
        expect(flat.status).toBe(200);
        expect(flat.json[`${wts.get(id)!.tree.id}/_uid`]).toBe(c.uid);
        expect(constraintViolations(wts.get(id)!, flat.json)).toEqual([]);
        const canonical = await call(`${sim.baseUrl}/ehr/${c.ehrId}/composition/${c.objectId}`);
        expect(canonical.json.uid.value).toBe(c.uid);
        expect(canonical.json.archetype_details.template_id.value).toBe(id);
      }
    }
  });

  it('gives the same bodies for the same seed', async () => {
    const again = await startSimulator({
      templateFiles: [`${SHARED_FIXTURES_DIR}/templates`],
      ehrs: 50,
      compositions: 2500,
    });
    try {
      for (const c of [...sim.control.allCompositions()].slice(0, 50))
        if (!c.deleted) expect(again.control.getFlat(c.objectId)).toEqual(sim.control.getFlat(c.objectId));
    } finally {
      await again.close();
    }
  });
});
