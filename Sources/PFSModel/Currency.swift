/// ISO 4217 minor-unit digits for the currencies contracts are written in.
public enum ISO4217 {
    /// The number of minor-unit digits of `code` (JPY 0, USD 2…), nil if unknown.
    public static func minorUnitDigits(_ code: String) -> Int? { table[code] }

    /// Decimals an amount shows: the currency's minor unit when amounts are written in
    /// currency units (USD 267,472.50); none when they are written in multiples (千円).
    public static func amountDigits(currency: String, scale: ExactDecimal) -> Int {
        scale == .one ? minorUnitDigits(currency) ?? 0 : 0
    }

    // A subset of ISO 4217 (2024 list): currencies of countries with outcome contracts,
    // and the three-digit ones so that the rule is exercised.
    private static let table: [String: Int] = [
        "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0,
        "USD": 2, "EUR": 2, "GBP": 2, "AUD": 2, "CAD": 2, "NZD": 2, "CHF": 2, "SEK": 2,
        "NOK": 2, "DKK": 2, "SGD": 2, "HKD": 2, "CNY": 2, "TWD": 2, "INR": 2, "ILS": 2,
        "ZAR": 2, "BRL": 2, "MXN": 2, "PLN": 2, "CZK": 2, "THB": 2, "PHP": 2,
        "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3,
    ]
}
