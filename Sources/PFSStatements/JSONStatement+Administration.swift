import PFSModel

/// The administrative record (`<administration>`) in a JSON settlement, keys in order.
extension Administration {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("budgetAccount", budgetAccount)
            writer.member("clauses", clauses)
            writer.member("commitment", commitment)
            writer.member("concluded", concluded)
            writer.member("contractNumber", contractNumber)
            if let debtBurden {
                writer.member("debtBurden") { writer in
                    writer.object { writer in
                        writer.member("first", debtBurden.first)
                        writer.member("last", debtBurden.last)
                        writer.member("limit", debtBurden.limit)
                        writer.member("setIn", debtBurden.setIn)
                    }
                }
            }
            writer.member("office", office)
            writer.member("seal", seal?.rawValue)
            if let tax {
                writer.member("tax") { writer in
                    writer.object { writer in
                        writer.member("included", tax.included)
                        writer.member("rate", tax.rate)
                    }
                }
            }
            writer.member("years") { writer in
                writer.array(years) { writer, record in
                    writer.object { writer in
                        writer.member("evaluated", record.evaluated)
                        writer.member("invoiceBy", record.invoiceBy)
                        writer.member("payBy", record.payBy)
                        writer.member("report", record.report)
                        writer.member("year", record.year)
                    }
                }
            }
        }
    }
}
