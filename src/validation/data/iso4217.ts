/**
 * ISO 4217 alphabetic currency codes (urn:iso:std:iso:4217), the active codes of "List One —
 * Currency, fund and precious metal codes" (ISO 4217 maintenance agency, SIX Group,
 * https://www.six-group.com/en/products-services/financial-information/data-standards.html),
 * including fund codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW) and the X-codes (precious
 * metals, SDR, testing XTS, no currency XXX), as published in the amendment of 2025 (XCG replaces
 * ANG; ZWG replaces ZWL; SLE replaces SLL). Codes withdrawn more than a year before that (HRK, …)
 * are not listed: R4's currencies value set is "ISO 4217", and a withdrawn code is not a currency.
 */
export const ISO_4217: ReadonlySet<string> = new Set(`
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW
KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN
NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW
UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER
ZAR ZMW ZWG
`.trim().split(/\s+/));
