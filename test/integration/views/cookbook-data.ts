/**
 * A small clinical data set for the cookbook: patients with temperatures, blood pressures, haemoglobin
 * results and problem lists, as FLAT compositions built from the demo prototypes. The expected answers of
 * the cookbook queries are computed from these same lists.
 */

const DAY = 86_400_000;

export interface Reading {
  daysAgo: number;
  /** Extra hours (two events in one composition). */
  hours?: number;
}
export interface Temperature extends Reading {
  value: number;
  unit: '°C' | 'Cel';
}
export interface BloodPressure extends Reading {
  systolic: number;
  diastolic: number;
}
export interface Patient {
  ehrId: string;
  composer: string;
  temperatures: Temperature[];
  /** Readings with the same daysAgo share one composition (events 0, 1, …). */
  pressures: BloodPressure[];
  haemoglobin: Array<Reading & { value: number }>;
  hypertension: boolean;
}

export const PATIENTS: Patient[] = [
  {
    ehrId: 'p0-ehr',
    composer: 'Dr. Ada',
    temperatures: [
      { daysAgo: 2, value: 38.6, unit: '°C' },
      { daysAgo: 10, value: 37, unit: '°C' },
    ],
    pressures: [
      { daysAgo: 2, systolic: 150, diastolic: 95 },
      { daysAgo: 40, systolic: 145, diastolic: 92 },
    ],
    haemoglobin: [
      { daysAgo: 5, value: 12.1 },
      { daysAgo: 50, value: 13 },
    ],
    hypertension: true,
  },
  {
    ehrId: 'p1-ehr',
    composer: 'Dr. Bo',
    temperatures: [
      { daysAgo: 20, value: 39.2, unit: '°C' },
      { daysAgo: 45, value: 39.9, unit: '°C' },
    ],
    pressures: [{ daysAgo: 20, systolic: 120, diastolic: 80 }],
    haemoglobin: [{ daysAgo: 20, value: 14.2 }],
    hypertension: true,
  },
  {
    ehrId: 'p2-ehr',
    composer: 'Dr. Ada',
    temperatures: [{ daysAgo: 45, value: 38.5, unit: '°C' }],
    pressures: [
      { daysAgo: 45, systolic: 160, diastolic: 100 },
      { daysAgo: 3, systolic: 135, diastolic: 85 },
    ],
    haemoglobin: [],
    hypertension: true,
  },
  {
    ehrId: 'p3-ehr',
    composer: 'Dr. Cy',
    temperatures: [{ daysAgo: 1, value: 36.8, unit: '°C' }],
    pressures: [],
    haemoglobin: [{ daysAgo: 1, value: 11.4 }],
    hypertension: false,
  },
  {
    ehrId: 'p4-ehr',
    composer: 'Dr. Cy',
    temperatures: [{ daysAgo: 5, value: 38.1, unit: 'Cel' }],
    pressures: [
      { daysAgo: 5, systolic: 142, diastolic: 90 },
      { daysAgo: 5, hours: 1, systolic: 138, diastolic: 88 },
    ],
    haemoglobin: [],
    hypertension: false,
  },
  {
    ehrId: 'p5-ehr',
    composer: 'Dr. Bo',
    temperatures: [],
    pressures: [],
    haemoglobin: [{ daysAgo: 70, value: 9.8 }],
    hypertension: true,
  },
];

export function at(now: number, r: Reading): string {
  return new Date(now - r.daysAgo * DAY + (r.hours ?? 0) * 3_600_000).toISOString();
}

type Flat = Record<string, unknown>;

/** A copy of a prototype without the keys under the given prefixes. */
function without(proto: Flat, prefixes: string[]): Flat {
  return Object.fromEntries(Object.entries(proto).filter(([k]) => !prefixes.some((p) => k.startsWith(p))));
}

/** Vital-signs compositions of a patient: one per distinct day of readings. */
export function vitalSigns(now: number, p: Patient, proto: Flat): Flat[] {
  const days = [...new Set([...p.temperatures, ...p.pressures].map((r) => r.daysAgo))];
  return days.map((day) => {
    const flat = without(proto, [
      'vital_signs/body_temperature',
      'vital_signs/blood_pressure',
      'vital_signs/pulse_heart_beat',
    ]);
    flat['vital_signs/context/start_time'] = at(now, { daysAgo: day });
    flat['vital_signs/composer|name'] = p.composer;
    p.temperatures
      .filter((t) => t.daysAgo === day)
      .forEach((t, i) => {
        const e = `vital_signs/body_temperature:0/any_event:${i}`;
        flat[`${e}/temperature|magnitude`] = t.value;
        flat[`${e}/temperature|unit`] = t.unit;
        flat[`${e}/time`] = at(now, t);
      });
    p.pressures
      .filter((b) => b.daysAgo === day)
      .forEach((b, i) => {
        const e = `vital_signs/blood_pressure:0/any_event:${i}`;
        flat[`${e}/systolic|magnitude`] = b.systolic;
        flat[`${e}/systolic|unit`] = 'mm[Hg]';
        flat[`${e}/diastolic|magnitude`] = b.diastolic;
        flat[`${e}/diastolic|unit`] = 'mm[Hg]';
        flat[`${e}/time`] = at(now, b);
      });
    return flat;
  });
}

/** One lab composition per haemoglobin result (the other analytes of the prototype stay). */
export function labResults(now: number, p: Patient, proto: Flat): Flat[] {
  return p.haemoglobin.map((h) => ({
    ...proto,
    'lab_results/context/start_time': at(now, h),
    'lab_results/laboratory_test_result:0/any_event:0/time': at(now, h),
    'lab_results/laboratory_test_result:0/any_event:0/analyte_result:0/analyte_name': 'Haemoglobin',
    'lab_results/laboratory_test_result:0/any_event:0/analyte_result:0/result_value|magnitude': h.value,
  }));
}

/** The prototype's problem list (hypertension + diabetes), or diabetes only. */
export function problemList(p: Patient, proto: Flat): Flat {
  if (p.hypertension) return { ...proto };
  const diabetesOnly = without(proto, ['problem_list/problem_diagnosis:0/']);
  for (const [k, v] of Object.entries(diabetesOnly)) {
    if (k.startsWith('problem_list/problem_diagnosis:1/')) {
      delete diabetesOnly[k];
      diabetesOnly[k.replace(':1/', ':0/')] = v;
    }
  }
  return diabetesOnly;
}
