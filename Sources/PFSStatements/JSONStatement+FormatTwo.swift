import PFSModel

/// The JSON of what format 2 adds to a settlement: conditions, targets and rate cards.
extension Settlement.ConditionResult {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("comparison", comparison)
            writer.member("holds", holds)
            writer.member("kpi", kpi)
            writer.member("measure", measure)
            writer.member("operand", operand)
            writer.member("series", series)
            writer.member("text", text)
            writer.member("textJA", textJA)
            writer.member("value", value)
        }
    }
}

extension Settlement.TargetResult {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            if let achieved { writer.member("achieved", achieved) }
            writer.member("actual", actual)
            writer.member("baseline", baseline)
            writer.member("conditions") { writer in
                writer.array(conditions) { writer, condition in condition.write(to: &writer) }
            }
            writer.member("id", id)
            writer.member("kpi", kpi)
            writer.member("name", name)
            if let resultYear { writer.member("resultYear", resultYear) }
            writer.member("step", step)
            if let targetYear { writer.member("targetYear", targetYear) }
        }
    }
}

extension Settlement.RateCardResult {
    func write(to writer: inout JSONWriter) {
        writer.object { writer in
            writer.member("capPerTerm", amount: capPerTerm)
            writer.member("capPerYear", amount: capPerYear)
            writer.member("card", card)
            writer.member("cutOrder", cutOrder)
            writer.member("lines") { writer in
                writer.array(lines) { writer, line in
                    writer.object { writer in
                        writer.member("cut", amount: line.cut)
                        writer.member("file", line.file)
                        writer.member("line", line.line)
                        writer.member("outcome", line.outcome)
                        writer.member("paid", amount: line.paid)
                        writer.member("participant", line.participant)
                        writer.member("price", amount: line.price)
                    }
                }
            }
            writer.member("outcomes") { writer in
                writer.array(outcomes) { writer, outcome in
                    writer.object { writer in
                        writer.member("achieved", outcome.achieved)
                        writer.member("cut", amount: outcome.cut)
                        writer.member("name", outcome.name)
                        writer.member("outcome", outcome.outcome)
                        writer.member("paid", amount: outcome.paid)
                        writer.member("price", amount: outcome.price)
                        writer.member("value", amount: outcome.value)
                    }
                }
            }
            writer.member("participants", participants)
            writer.member("participantsCapped", participantsCapped)
        }
    }
}
