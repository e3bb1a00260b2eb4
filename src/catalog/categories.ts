import { KEMKES_OBSERVATION_INTERPRETATION, kemkes, localCategory, snomed } from './codes';
import type { Coding } from './types';

/**
 * Result categories (Band.category). Standard codes come first where a confident one exists:
 * - SNOMED CT and Kemkes codes listed in the Kemkes `Observation.interpretation` ValueSet
 *   (ID Core FSH `ValueSet-KemkesObservationInterpretation.fsh`; ilp-domain §6.5), with the
 *   displays copied from it;
 * - Kemkes `clinical-term` OI codes with the displays of `CodeSystem-KemkesClinicalTerm.fsh`;
 * - otherwise a code in our ILP interpretation CodeSystem (published from this catalogue).
 * One constant per concept, so a code always travels with the same display.
 */

const clinicalTerm = (code: string, display: string): Coding => kemkes(code, display);

export const CAT = {
  // Blood pressure (KMK Tabel 22 / Tabel 15; PPK preeklampsia)
  bpOptimal: clinicalTerm('OI000040', 'Tekanan darah optimal'),
  bpNormal: snomed('2004005', 'Normal blood pressure'),
  bpHighNormal: clinicalTerm('OI000041', 'Tekanan darah normal tinggi'),
  bpElevated: localCategory('tekanan-darah-meningkat', 'Tekanan darah meningkat (elevated, remaja)'),
  htStage1: snomed('827069000', 'Stage 1 hypertension'),
  htStage2: snomed('827068008', 'Stage 2 hypertension'),
  htGrade3: clinicalTerm('OI000042', 'Hipertensi derajat 3'),
  htPregnancy: localCategory('hipertensi-kehamilan', 'Hipertensi dalam kehamilan (curiga preeklampsia)'),
  htPregnancySevere: localCategory('hipertensi-berat-kehamilan', 'Hipertensi berat dalam kehamilan (curiga preeklampsia berat)'),
  htPregnancyEarly: localCategory('hipertensi-kehamilan-sebelum-20-minggu', 'Hipertensi dalam kehamilan sebelum 20 minggu (curiga hipertensi kronik)'),
  htPostpartum: localCategory('hipertensi-pascasalin', 'Hipertensi pascasalin (masa nifas)'),
  htPostpartumSevere: localCategory('hipertensi-berat-pascasalin', 'Hipertensi berat pascasalin (masa nifas)'),

  // Adult BMI (KMK Tabel 20) and waist (Tabel 19)
  underweight: snomed('248342006', 'Underweight'),
  normalWeight: { system: KEMKES_OBSERVATION_INTERPRETATION, code: 'BMI-Normal', display: 'Normal weight' },
  overweight: snomed('238131007', 'Overweight'),
  obese: snomed('414915002', 'Obese'),
  centralObesity: snomed('248311001', 'Central obesity'),
  waistNormal: localCategory('lingkar-perut-normal', 'Lingkar perut normal'),

  // MUAC / LiLA
  kek: clinicalTerm('OI000018', 'Kurang Energi Kronis (KEK)'),
  notKek: localCategory('tidak-kek', 'Tidak KEK (LiLA ≥ 23,5 cm)'),
  giziBuruk: clinicalTerm('OI000001', 'Gizi Buruk'),
  giziKurang: clinicalTerm('OI000002', 'Gizi Kurang'),
  giziBaik: clinicalTerm('OI000003', 'Gizi Baik'),
  elderlyMuacLow: localCategory('risiko-malnutrisi-lansia', 'Risiko malnutrisi lansia (LiLA < 21 cm)'),
  elderlyMuacNormal: localCategory('lila-lansia-normal', 'LiLA lansia normal (≥ 21 cm)'),

  // Haemoglobin
  noAnaemia: snomed('860635002', 'No anemia present'),
  anaemiaMild: clinicalTerm('OI000032', 'Anemia ringan'),
  anaemiaModerate: clinicalTerm('OI000033', 'Anemia sedang'),
  anaemiaSevere: clinicalTerm('OI000034', 'Anemia berat'),

  // Glucose (KMK Tabel 23) and lipids (Tabel 25)
  glucoseNormal: localCategory('gula-darah-normal', 'Gula darah normal'),
  glucoseUnclassified: localCategory('gula-darah-belum-terklasifikasi', 'Gula darah sewaktu belum terklasifikasi (100–139 mg/dL)'),
  hypoglycaemia: localCategory('hipoglikemia', 'Hipoglikemia (< 70 mg/dL)'),
  hyperglycaemia: localCategory('hiperglikemia', 'Hiperglikemia'),
  prediabetes: snomed('714628002', 'Prediabetes'),
  diabetes: snomed('73211009', 'Diabetes mellitus'),
  suspectedDiabetes: localCategory('curiga-diabetes-melitus', 'Curiga diabetes melitus (GDS ≥ 200 mg/dL, perlu konfirmasi)'),
  gestationalDiabetes: snomed('11687002', 'Gestational diabetes mellitus'),
  diabetesInPregnancy: localCategory('diabetes-dalam-kehamilan', 'Diabetes melitus dalam kehamilan (overt)'),
  hyperglycaemiaPregnancy: localCategory('hiperglikemia-kehamilan', 'Hiperglikemia dalam kehamilan, perlu TTGO'),
  cholesterolDesirable: localCategory('kolesterol-diinginkan', 'Kolesterol total diinginkan'),
  cholesterolBorderline: localCategory('kolesterol-batas-tinggi', 'Kolesterol total batas tinggi'),
  cholesterolHigh: localCategory('kolesterol-tinggi', 'Kolesterol total tinggi'),
  hdlLow: localCategory('hdl-rendah', 'Kolesterol HDL rendah'),
  hdlNormal: localCategory('hdl-normal', 'Kolesterol HDL normal'),
  hdlHigh: localCategory('hdl-tinggi', 'Kolesterol HDL tinggi (protektif)'),

  // Vital signs
  temperatureNormal: localCategory('suhu-normal', 'Suhu tubuh normal'),
  fever: localCategory('demam', 'Demam (≥ 37,5 °C)'),
  hypothermia: localCategory('hipotermia', 'Hipotermia'),
  pulseNormal: localCategory('nadi-normal', 'Frekuensi nadi normal'),
  bradycardia: localCategory('bradikardia', 'Bradikardia'),
  tachycardia: localCategory('takikardia', 'Takikardia'),
  breathingNormal: localCategory('napas-normal', 'Frekuensi napas normal'),
  fastBreathing: localCategory('napas-cepat', 'Napas cepat (MTBS/MTBM)'),
  bradypnoea: localCategory('bradipnea', 'Bradipnea (napas lambat)'),
  slowBreathingYoungInfant: localCategory('napas-lambat-bayi-muda', 'Napas lambat pada bayi muda (< 30/menit, MTBM)'),
  tachypnoea: localCategory('takipnea', 'Takipnea (napas cepat)'),
  spo2Normal: localCategory('saturasi-oksigen-normal', 'Saturasi oksigen normal'),
  spo2Low: localCategory('saturasi-oksigen-rendah', 'Saturasi oksigen rendah'),
  hypoxaemia: localCategory('hipoksemia', 'Hipoksemia (SpO2 < 90%)'),

  // ANC
  fhrNormal: localCategory('djj-normal', 'Denyut jantung janin normal'),
  fetalBradycardia: localCategory('bradikardia-janin', 'Bradikardia janin'),
  fetalTachycardia: localCategory('takikardia-janin', 'Takikardia janin'),

  // Instruments
  srqNormal: localCategory('srq20-normal', 'Tidak ada gangguan mental emosional (SRQ-20 < 6)'),
  srqAbnormal: localCategory('srq20-abnormal', 'Gangguan mental emosional (SRQ-20 ≥ 6)'),
  suicidalThoughts: localCategory('srq20-pikiran-bunuh-diri', 'Ada pikiran bunuh diri (SRQ-20 butir 17)'),
  noSuicidalThoughts: localCategory('srq20-tanpa-pikiran-bunuh-diri', 'Tidak ada pikiran bunuh diri (SRQ-20 butir 17)'),
  pumaLow: localCategory('ppok-risiko-rendah', 'Risiko PPOK rendah (PUMA < 6)'),
  pumaHigh: localCategory('ppok-risiko-tinggi', 'Risiko PPOK tinggi (PUMA ≥ 6)'),
  adlIndependent: localCategory('aks-mandiri', 'Mandiri (AKS/ADL 20)'),
  dependenceMild: clinicalTerm('OI000045', 'Ketergantungan Ringan'),
  dependenceModerate: clinicalTerm('OI000046', 'Ketergantungan Sedang'),
  dependenceSevere: clinicalTerm('OI000047', 'Ketergantungan Berat'),
  dependenceTotal: clinicalTerm('OI000048', 'Ketergantungan Total'),
  developmentAppropriate: clinicalTerm('OI000016', 'Sesuai Usia'),
  developmentDoubtful: localCategory('perkembangan-meragukan', 'Perkembangan meragukan (KPSP)'),
  developmentDeviation: localCategory('perkembangan-penyimpangan', 'Kemungkinan penyimpangan perkembangan (KPSP)'),
  immunisationComplete: localCategory('imunisasi-lengkap', 'Imunisasi lengkap sesuai umur'),
  immunisationIncomplete: localCategory('imunisasi-tidak-lengkap', 'Imunisasi belum lengkap sesuai umur'),
  notImmunised: localCategory('tidak-diimunisasi', 'Tidak pernah diimunisasi'),
  presumptiveTb: localCategory('terduga-tbc', 'Terduga TBC'),
  notPresumptiveTb: localCategory('bukan-terduga-tbc', 'Bukan terduga TBC'),

  // Vision (WHO categories as listed in the Kemkes interpretation ValueSet)
  normalVision: snomed('45089002', 'Normal vision'),
  acuityReferral: localCategory('visus-tidak-lebih-baik-6-12', 'Visus tidak lebih baik dari 6/12'),
  mildVisualImpairment: snomed('397543001', 'Mild visual impairment'),
  moderateVisualImpairment: snomed('397542006', 'Moderate visual impairment'),
  severeVisualImpairment: snomed('397541004', 'Severe visual impairment'),
  blindness: localCategory('kebutaan', 'Kebutaan (visus < 3/60)'),

  // Smoking
  smoker: localCategory('perokok-aktif', 'Perokok aktif'),
  passiveSmoker: localCategory('perokok-pasif', 'Perokok pasif (terpapar asap rokok)'),
  exSmoker: localCategory('bekas-perokok', 'Bekas perokok'),
  nonSmoker: localCategory('bukan-perokok', 'Bukan perokok'),
} as const satisfies Record<string, Coding>;
