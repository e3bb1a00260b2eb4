import type { FollowUp } from './types';

/**
 * Follow-up activities the gateway adds to the visit's CarePlan when a band is reached. The action
 * comes from the guideline named in the comment; the due days are our choice where the guideline
 * gives none (docs/decisions/0002-threshold-resolutions.md lists them).
 */
export const FU = {
  // Blood pressure: KMK Tabel 22 (adults), Tabel 15 / AAP 2017 (adolescents), PPK 1186/2022 (pregnancy)
  bpLifestyle: { kind: 'education', description: 'Edukasi gaya hidup sehat (CERDIK); ukur ulang tekanan darah pada skrining berikutnya', dueInDays: 0 },
  htStage1: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas untuk konfirmasi dan tata laksana hipertensi derajat 1', dueInDays: 7 },
  htStage2: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas untuk tata laksana hipertensi derajat 2', dueInDays: 3 },
  htGrade3: { kind: 'referral', description: 'Rujuk segera ke dokter: hipertensi derajat 3 (TD ≥ 180/110 mmHg)', dueInDays: 0 },
  adolescentElevated: { kind: 'retest', description: 'Edukasi gaya hidup; ukur ulang tekanan darah dalam 6 bulan (AAP 2017)', dueInDays: 180 },
  adolescentStage1: { kind: 'retest', description: 'Ukur ulang tekanan darah dalam 1–2 minggu; bila tetap ≥ 130/80 mmHg rujuk ke dokter (AAP 2017)', dueInDays: 14 },
  adolescentStage2: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas dalam 1 minggu: hipertensi derajat 2 pada remaja (AAP 2017)', dueInDays: 7 },
  preeclampsia: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: TD ≥ 140/90 mmHg pada kehamilan ≥ 20 minggu (curiga preeklampsia); periksa protein urin', dueInDays: 1 },
  preeclampsiaSevere: { kind: 'referral', description: 'Rujuk segera ke FKRTL/PONEK: TD ≥ 160/110 mmHg pada kehamilan (curiga preeklampsia berat)', dueInDays: 0 },
  hypertensionEarlyPregnancy: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: TD ≥ 140/90 mmHg pada kehamilan < 20 minggu (curiga hipertensi kronik); pantau tanda preeklampsia', dueInDays: 3 },
  postpartumHypertension: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: TD ≥ 140/90 mmHg pada masa nifas (curiga preeklampsia pascasalin); periksa protein urin', dueInDays: 1 },
  postpartumHypertensionSevere: { kind: 'referral', description: 'Rujuk segera ke FKRTL/PONEK: TD ≥ 160/110 mmHg pada masa nifas (curiga preeklampsia berat pascasalin)', dueInDays: 0 },

  // Anthropometry: KMK Tabel 19–20; ANC (KEK, MT ≥ 90 hari); gizi buruk; SKILAS
  nutritionEducation: { kind: 'education', description: 'Edukasi gizi seimbang dan aktivitas fisik', dueInDays: 0 },
  underweightPregnant: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: IMT < 18,5 pada trimester 1; berikan MT ibu hamil minimal 90 hari', dueInDays: 7 },
  kekPregnant: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: ibu hamil KEK (LiLA < 23,5 cm); berikan MT ibu hamil minimal 90 hari', dueInDays: 7 },
  kekPreconception: { kind: 'education', description: 'Konseling gizi prakonsepsi: LiLA < 23,5 cm (ALKI), tunda kehamilan sampai status gizi membaik', dueInDays: 0 },
  severeWasting: { kind: 'referral', description: 'Rujuk segera untuk tata laksana gizi buruk (LiLA < 11,5 cm)', dueInDays: 0 },
  moderateWasting: { kind: 'follow-up', description: 'Berikan PMT balita gizi kurang dan pantau berat badan setiap 2 minggu', dueInDays: 14 },
  elderlyMalnutrition: { kind: 'follow-up', description: 'Tindak lanjut tenaga kesehatan: risiko malnutrisi lansia (SKILAS); lakukan MNA-SF', dueInDays: 14 },

  // Haemoglobin: PPK 1186/2022 (anemia), WHO 2011
  anaemia: { kind: 'follow-up', description: 'Tata laksana anemia (TTD/zat besi dosis terapi) dan periksa Hb ulang dalam 4 minggu', dueInDays: 28 },
  anaemiaSevere: { kind: 'referral', description: 'Rujuk segera ke dokter Puskesmas/FKRTL: anemia berat', dueInDays: 0 },

  // Glucose: KMK Tabel 23; PKG 2025 (balita); PERKENI (hipoglikemia)
  hypoglycaemia: { kind: 'referral', description: 'Tangani hipoglikemia segera (beri gula/karbohidrat) dan rujuk ke dokter', dueInDays: 0 },
  glucoseUnclassified: { kind: 'retest', description: 'Periksa gula darah puasa: GDS 100–139 mg/dL belum terklasifikasi pada Tabel 23', dueInDays: 7 },
  prediabetes: { kind: 'retest', description: 'Konfirmasi dengan gula darah puasa/analyzer atau HbA1c; edukasi gaya hidup (CERDIK)', dueInDays: 14 },
  diabetes: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas untuk konfirmasi diagnosis DM (analyzer/HbA1c) dan tata laksana', dueInDays: 7 },
  childGlucoseRetest: { kind: 'retest', description: 'Periksa gula darah puasa anak; rujuk bila ≥ 100 mg/dL (PKG)', dueInDays: 7 },
  childGlucoseReferral: { kind: 'referral', description: 'Rujuk ke dokter: hiperglikemia pada anak', dueInDays: 1 },
  suspectedDiabetes: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: GDS ≥ 200 mg/dL; tanyakan gejala klasik (poliuri, polidipsi, polifagi, berat badan turun) dan konfirmasi diagnosis DM (GDP/analyzer/HbA1c)', dueInDays: 7 },
  // Glucose in pregnancy: WHO 2013 criteria for hyperglycaemia first detected in pregnancy (PERKENI 2021 DMG)
  pregnancyOgtt: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas untuk TTGO 75 g (GDS 140–199 mg/dL pada kehamilan; diagnosis DMG dengan TTGO)', dueInDays: 7 },
  gestationalDiabetes: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: diabetes melitus gestasional (GDP ≥ 92 mg/dL); konfirmasi dengan glukosa plasma dan tata laksana DMG', dueInDays: 7 },
  diabetesInPregnancy: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas/FKRTL: curiga diabetes melitus dalam kehamilan (GDP ≥ 126 atau GDS ≥ 200 mg/dL)', dueInDays: 3 },

  // Lipids: KMK Tabel 25
  lipidEducation: { kind: 'education', description: 'Edukasi diet rendah lemak jenuh dan aktivitas fisik', dueInDays: 0 },
  cholesterolHigh: { kind: 'referral', description: 'Rujuk ke dokter Puskesmas: kolesterol total ≥ 240 mg/dL; nilai risiko dengan carta prediksi PTM', dueInDays: 14 },

  // Vital signs: MTBS/MTBM
  youngInfantFever: { kind: 'referral', description: 'Rujuk segera: demam pada bayi muda < 2 bulan (MTBM: kemungkinan infeksi bakteri berat)', dueInDays: 0 },
  youngInfantHypothermia: { kind: 'referral', description: 'Hangatkan bayi dan rujuk segera: hipotermia pada bayi muda (MTBM)', dueInDays: 0 },
  hypothermia: { kind: 'referral', description: 'Rujuk segera: hipotermia (suhu < 35 °C)', dueInDays: 0 },
  youngInfantFastBreathing: { kind: 'referral', description: 'Rujuk segera: napas cepat ≥ 60/menit pada bayi muda (MTBM: kemungkinan infeksi bakteri berat)', dueInDays: 0 },
  youngInfantSlowBreathing: { kind: 'referral', description: 'Rujuk segera: napas lambat < 30/menit pada bayi muda (MTBM: tanda bahaya, kemungkinan penyakit sangat berat)', dueInDays: 0 },
  childFastBreathing: { kind: 'follow-up', description: 'Nilai tanda bahaya dan klasifikasikan batuk/sukar bernapas sesuai MTBS (napas cepat → pneumonia)', dueInDays: 0 },
  hypoxaemia: { kind: 'referral', description: 'Rujuk segera: saturasi oksigen < 90%', dueInDays: 0 },

  // ANC
  fetalHeartRate: { kind: 'referral', description: 'Rujuk ke dokter/PONEK: DJJ < 120 atau > 160 kali/menit', dueInDays: 0 },

  // Instruments: Formulir 4 (PUMA), 5 (ADL), 6 (SRQ-20); SDIDTK; imunisasi; TBC
  srqAbnormal: { kind: 'referral', description: 'Rujuk ke dokter/psikolog Puskesmas untuk konfirmasi gangguan mental emosional (SRQ-20 ≥ 6)', dueInDays: 14 },
  suicidalThoughts: { kind: 'referral', description: 'Rujuk segera ke dokter/psikolog: ada pikiran bunuh diri (SRQ-20 butir 17)', dueInDays: 0 },
  pumaHigh: { kind: 'referral', description: 'Konseling berhenti merokok (UBM) dan spirometri atau rujuk: risiko PPOK tinggi (PUMA ≥ 6)', dueInDays: 30 },
  homeCare: { kind: 'follow-up', description: 'Perawatan jangka panjang/kunjungan rumah (home care) untuk lansia dengan ketergantungan', dueInDays: 14 },
  kpspDoubtful: { kind: 'retest', description: 'Stimulasi perkembangan di rumah dan ulangi KPSP setelah 2 minggu', dueInDays: 14 },
  kpspDeviation: { kind: 'referral', description: 'Rujuk untuk pemeriksaan tumbuh kembang lanjutan (KPSP: kemungkinan penyimpangan)', dueInDays: 7 },
  dofu: { kind: 'follow-up', description: 'Drop-out follow-up (DOFU): lengkapi imunisasi sesuai jadwal (KMK Tabel 7–8)', dueInDays: 30 },
  notImmunised: { kind: 'follow-up', description: 'Kunjungan rumah (sweeping/DOFU): mulai imunisasi rutin sesuai umur (KMK Tabel 7–8)', dueInDays: 14 },
  presumptiveTb: { kind: 'referral', description: 'Terduga TBC: periksa TCM (2 sampel dahak) atau BTA; catat di SITB', dueInDays: 3 },
  presumptiveTbChild: { kind: 'referral', description: 'Terduga TBC anak: rujuk ke dokter Puskesmas; TCM bila spesimen dapat diambil (dahak, bilas lambung atau lainnya), bila tidak nilai dengan sistem skoring TBC anak (≥ 6 = TBC klinis) dan uji tuberkulin; catat di SITB', dueInDays: 3 },

  // Vision: KMK Tabel 19 (kader rujuk bila visus tidak lebih baik dari 6/12)
  refraction: { kind: 'referral', description: 'Rujuk ke Puskesmas untuk pemeriksaan refraksi (visus tidak lebih baik dari 6/12)', dueInDays: 30 },
  eyeSpecialist: { kind: 'referral', description: 'Rujuk ke dokter spesialis mata (FKRTL): gangguan penglihatan berat atau kebutaan', dueInDays: 14 },

  // Smoking: PKG 2025, Formulir 2
  smokingCessation: { kind: 'education', description: 'Konseling upaya berhenti merokok (UBM)', dueInDays: 0 },
  smokeFreeHome: { kind: 'education', description: 'Edukasi rumah dan lingkungan bebas asap rokok', dueInDays: 0 },
} as const satisfies Record<string, FollowUp>;
