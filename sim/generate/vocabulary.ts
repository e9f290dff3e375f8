/**
 * Clinical vocabulary for values a template leaves open (external terminologies, free text, units without
 * ranges). Order matters: with Zipf-skewed draws the first entries are the common ones.
 */

/** SNOMED CT clinical findings / disorders, roughly by prevalence in a general population. */
export const SNOMED_DIAGNOSES: ReadonlyArray<readonly [code: string, term: string]> = [
  ['38341003', 'Hypertensive disorder, systemic arterial'],
  ['55822004', 'Hyperlipidemia'],
  ['44054006', 'Diabetes mellitus type 2'],
  ['195967001', 'Asthma'],
  ['35489007', 'Depressive disorder'],
  ['197480006', 'Anxiety disorder'],
  ['414916001', 'Obesity'],
  ['13645005', 'Chronic obstructive lung disease'],
  ['49436004', 'Atrial fibrillation'],
  ['53741008', 'Coronary arteriosclerosis'],
  ['69896004', 'Rheumatoid arthritis'],
  ['396275006', 'Osteoarthritis'],
  ['40930008', 'Hypothyroidism'],
  ['709044004', 'Chronic kidney disease'],
  ['84114007', 'Heart failure'],
  ['235595009', 'Gastroesophageal reflux disease'],
  ['37796009', 'Migraine'],
  ['64859006', 'Osteoporosis'],
  ['84757009', 'Epilepsy'],
  ['230690007', 'Cerebrovascular accident'],
  ['271737000', 'Anemia'],
  ['26929004', "Alzheimer's disease"],
  ['49049000', "Parkinson's disease"],
  ['9014002', 'Psoriasis'],
  ['24700007', 'Multiple sclerosis'],
  ['34000006', "Crohn's disease"],
  ['64766004', 'Ulcerative colitis'],
  ['363406005', 'Malignant tumor of colon'],
  ['254837009', 'Malignant neoplasm of breast'],
  ['399068003', 'Malignant tumor of prostate'],
  ['73211009', 'Diabetes mellitus'],
  ['46635009', 'Diabetes mellitus type 1'],
];

/** Laboratory analytes: name, UCUM unit, mean and standard deviation of a healthy adult. */
export interface Analyte {
  name: string;
  unit: string;
  mean: number;
  sd: number;
}

export const ANALYTES: readonly Analyte[] = [
  { name: 'Haemoglobin', unit: 'g/dL', mean: 14, sd: 1.4 },
  { name: 'White cell count', unit: '10*9/L', mean: 7, sd: 1.8 },
  { name: 'Platelet count', unit: '10*9/L', mean: 260, sd: 60 },
  { name: 'Sodium', unit: 'mmol/L', mean: 140, sd: 2.5 },
  { name: 'Potassium', unit: 'mmol/L', mean: 4.3, sd: 0.35 },
  { name: 'Creatinine', unit: 'umol/L', mean: 85, sd: 18 },
  { name: 'Urea', unit: 'mmol/L', mean: 5.5, sd: 1.4 },
  { name: 'Glucose', unit: 'mmol/L', mean: 5.4, sd: 0.8 },
  { name: 'Haematocrit', unit: '%', mean: 42, sd: 3.5 },
  { name: 'Cholesterol', unit: 'mmol/L', mean: 5.1, sd: 0.9 },
];

/** Typical value (mean, sd) of a quantity by unit and, for blood pressure, by the node id. */
export function typicalQuantity(unit: string, id: string): { mean: number; sd: number } | undefined {
  if (unit === 'mm[Hg]') return /diastol/i.test(id) ? { mean: 80, sd: 9 } : { mean: 124, sd: 14 };
  const byUnit: Record<string, { mean: number; sd: number }> = {
    '/min': { mean: 74, sd: 10 },
    Cel: { mean: 36.9, sd: 0.35 },
    '°C': { mean: 36.9, sd: 0.35 },
    '[degF]': { mean: 98.4, sd: 0.6 },
    '°F': { mean: 98.4, sd: 0.6 },
    kg: { mean: 76, sd: 14 },
    g: { mean: 3400, sd: 450 },
    cm: { mean: 171, sd: 9 },
    m: { mean: 1.71, sd: 0.09 },
    '%': { mean: 60, sd: 15 },
    'kg/m2': { mean: 26, sd: 4 },
    'g/dL': { mean: 14, sd: 1.4 },
    'mmol/L': { mean: 5, sd: 1 },
    'mg/dL': { mean: 100, sd: 15 },
    '10*9/L': { mean: 7, sd: 1.8 },
    'umol/L': { mean: 85, sd: 18 },
  };
  return byUnit[unit];
}

export const FREE_TEXTS: readonly string[] = [
  'No abnormality detected.',
  'Patient reports feeling well.',
  'Follow-up in three months.',
  'Stable compared with the previous visit.',
  'Symptoms improving on current treatment.',
  'Reviewed with the patient; plan agreed.',
  'Mild discomfort reported, no distress.',
  'Referred for specialist opinion.',
  'Results discussed with the patient.',
  'Advised lifestyle changes and regular exercise.',
];

export const COMPOSERS: readonly string[] = [
  'Dr. Ada Berg',
  'Dr. Kofi Mensah',
  'Nurse Lena Ortiz',
  'Dr. Ravi Iyer',
  'Nurse Tomás Silva',
  'Dr. Mei Chen',
  'Dr. Jonas Weber',
  'Nurse Amara Okafor',
];
