/// The JSON API described for its clients (OpenAPI 3.1), served at `/api/openapi.json`.
/// Kept by hand beside the routes, not generated: the API is small, its answers are the
/// pages' own data, and the generator's build (swift-openapi-generator, a plugin over
/// swift-syntax) would add minutes to every CI run. A test holds it to ``Route``: every API
/// route is in it with its method, and nothing else; schemathesis checks the server's
/// answers against it.
enum OpenAPI {
    static let document = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "pfs portal API",
            "version": "1",
            "description": "The register as each party may see it, and sign-offs signed by the member's own key. Sign in through the portal's pages; the session cookie authenticates every call, and changes carry the session's CSRF token in X-CSRF-Token."
          },
          "security": [{"session": []}],
          "paths": {
            "/api/contracts": {
              "get": {
                "summary": "The contracts the caller may see, with its roles on each",
                "responses": {
                  "200": {"description": "The contracts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ContractList"}}}},
                  "401": {"$ref": "#/components/responses/SignIn"}
                }
              }
            },
            "/api/contracts/{contract}": {
              "get": {
                "summary": "A contract: its years, the amounts due the caller may see, the statements it may read",
                "parameters": [{"$ref": "#/components/parameters/contract"}],
                "responses": {
                  "200": {"description": "The contract", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Contract"}}}},
                  "401": {"$ref": "#/components/responses/SignIn"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/statements/{statement}": {
              "get": {
                "summary": "A statement's exact bytes, as the register holds them",
                "parameters": [{"name": "statement", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {
                  "200": {
                    "description": "The statement; X-PFS-SHA256 gives the SHA-256 of its bytes",
                    "content": {
                      "application/json": {"schema": {}}, "text/html": {"schema": {"type": "string"}},
                      "text/csv": {"schema": {"type": "string"}}, "text/markdown": {"schema": {"type": "string"}},
                      "text/plain": {"schema": {"type": "string"}}, "application/pdf": {"schema": {"type": "string"}},
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string"}}
                    }
                  },
                  "401": {"$ref": "#/components/responses/SignIn"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/api/contracts/{contract}/years/{year}/settle": {"$ref": "#/components/pathItems/SignOff"},
            "/api/contracts/{contract}/years/{year}/review": {"$ref": "#/components/pathItems/SignOff"},
            "/api/contracts/{contract}/years/{year}/approve": {"$ref": "#/components/pathItems/SignOff"},
            "/api/contracts/{contract}/years/{year}/reject": {"$ref": "#/components/pathItems/SignOff"},
            "/api/contracts/{contract}/years/{year}/issue": {"$ref": "#/components/pathItems/SignOff"},
            "/api/contracts/{contract}/years/{year}/pay": {"$ref": "#/components/pathItems/SignOff"},
            "/api/admin/organisations": {"$ref": "#/components/pathItems/Authority"},
            "/api/admin/members": {"$ref": "#/components/pathItems/Authority"},
            "/api/admin/keys": {"$ref": "#/components/pathItems/Authority"},
            "/api/admin/bindings": {"$ref": "#/components/pathItems/Authority"},
            "/api/admin/revocations": {"$ref": "#/components/pathItems/Authority"}
          },
          "components": {
            "securitySchemes": {
              "session": {"type": "apiKey", "in": "cookie", "name": "pfs_session"}
            },
            "parameters": {
              "contract": {"name": "contract", "in": "path", "required": true, "schema": {"type": "string"}},
              "year": {"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}},
              "csrf": {"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}
            },
            "responses": {
              "SignIn": {"description": "Not signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "NotFound": {"description": "Nothing the caller may see is there", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Refused": {"description": "Refused; nothing was changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "ToSign": {"description": "Sign these bytes and send the signatures", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ToSign"}}}}
            },
            "schemas": {
              "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "hint": {"type": "string"}}},
              "Text": {"type": "object", "required": ["ja", "en"], "properties": {"ja": {"type": ["string", "null"]}, "en": {"type": ["string", "null"]}}},
              "Role": {"type": "string", "enum": ["finance-officer", "evaluator", "contractor", "investor", "auditor", "administrator"]},
              "ContractList": {
                "type": "object", "required": ["contracts"],
                "properties": {"contracts": {"type": "array", "items": {
                  "type": "object", "required": ["id", "title", "roles"],
                  "properties": {"id": {"type": "string"}, "title": {"$ref": "#/components/schemas/Text"}, "roles": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}}}
                }}}
              },
              "Contract": {
                "type": "object", "required": ["id", "title", "roles", "years", "statements"],
                "properties": {
                  "id": {"type": "string"}, "title": {"$ref": "#/components/schemas/Text"},
                  "roles": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}},
                  "years": {"type": "array", "items": {
                    "type": "object", "required": ["year", "paymentYear", "state", "dues"],
                    "properties": {
                      "year": {"type": "integer"}, "paymentYear": {"type": "integer"},
                      "state": {"type": "string", "enum": ["settled", "reviewed", "approved", "rejected", "issued", "partly-paid", "paid"]},
                      "dues": {"type": "array", "items": {
                        "type": "object", "required": ["payer", "payee", "amount", "paid"],
                        "properties": {"payer": {"type": "string"}, "payee": {"type": "string"}, "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}, "paid": {"type": "boolean"}}
                      }}
                    }
                  }},
                  "statements": {"type": "array", "items": {
                    "type": "object", "required": ["id", "year", "document", "party", "language", "format", "sha256", "href"],
                    "properties": {
                      "id": {"type": "integer"}, "year": {"type": "integer"}, "document": {"type": "string"},
                      "party": {"type": ["string", "null"]}, "language": {"type": "string"}, "format": {"type": "string"},
                      "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "href": {"type": "string"}
                    }
                  }}
                }
              },
              "SignOff": {
                "type": "object",
                "properties": {
                  "publicKey": {"type": "string", "description": "The member's Ed25519 public key: its 32 raw bytes, base64"},
                  "statements": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Signatures (base64) by the SHA-256 of the statement's bytes"},
                  "event": {"type": "string", "description": "The event's signature (base64)"},
                  "at": {"type": "string", "description": "The time the signed event bytes hold"},
                  "reason": {"type": "string", "description": "Why the year is sent back (reject); settle: why values of an issued year are corrected"},
                  "preview": {"type": "boolean", "description": "Settle: show what the table changes; record nothing"},
                  "actuals": {
                    "type": "object", "required": ["name", "bytes"], "description": "Settle: a table of actual values (CSV or XLSX), read as pfs actuals reads it",
                    "properties": {"name": {"type": "string"}, "bytes": {"type": "string", "description": "base64"}}
                  },
                  "payment": {
                    "type": "object", "required": ["payer", "payee", "amount", "date", "reference"],
                    "properties": {"payer": {"type": "string"}, "payee": {"type": "string"}, "amount": {"type": "string"}, "date": {"type": "string"}, "reference": {"type": "string"}}
                  }
                }
              },
              "AuthorityChange": {
                "type": "object",
                "properties": {
                  "publicKey": {"type": "string", "description": "The authority's Ed25519 public key: its 32 raw bytes, base64"},
                  "statements": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Signatures (base64) of the certificate, by the SHA-256 of its bytes"},
                  "event": {"type": "string", "description": "The event's signature (base64)"},
                  "at": {"type": "string", "description": "The time the signed event bytes hold"},
                  "fields": {
                    "type": "object", "additionalProperties": {"type": "string"},
                    "description": "organisations: id, kind, nameJa, nameEn; members: id, organisation, nameJa, nameEn; keys: member, publicKey (PEM); bindings: contractFile (XML) or contract (an id the register holds), party, organisation; revocations: subject (key, member, organisation, binding), id (a binding: CONTRACT/PARTY), reason"
                  }
                }
              },
              "Recorded": {"type": "object", "required": ["recorded"], "properties": {"recorded": {"type": "string", "enum": ["organisation", "member", "key", "binding", "revocation"]}}},
              "Done": {
                "type": "object",
                "properties": {
                  "state": {"type": "string"},
                  "adjustments": {"type": "integer", "description": "Settle: the adjustments recorded (a correction of issued years)"},
                  "preview": {
                    "type": "object", "required": ["added", "changed", "unchanged", "lines", "corrects"],
                    "properties": {"added": {"type": "integer"}, "changed": {"type": "integer"}, "unchanged": {"type": "integer"}, "lines": {"type": "array", "items": {"type": "string"}}, "corrects": {"type": "array", "items": {"type": "integer"}, "description": "Issued years whose values the table changes"}}
                  }
                }
              },
              "ToSign": {
                "type": "object", "required": ["sign"],
                "properties": {"sign": {
                  "type": "object", "required": ["statements"],
                  "properties": {
                    "statements": {"type": "array", "items": {"type": "object", "required": ["sha256", "bytes"], "properties": {"sha256": {"type": "string"}, "bytes": {"type": "string"}}}},
                    "event": {"type": "string"}, "at": {"type": "string"}
                  }
                }}
              }
            },
            "pathItems": {"Authority": {"post": {
              "summary": "Administrators: record an organisation, a member, a member's key, a contract party's binding, or a revocation, signed by the register's authority key",
              "parameters": [{"$ref": "#/components/parameters/csrf"}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuthorityChange"}}}},
              "responses": {
                "200": {"description": "Recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recorded"}}}},
                "400": {"$ref": "#/components/responses/Refused"},
                "401": {"$ref": "#/components/responses/SignIn"},
                "403": {"$ref": "#/components/responses/Refused"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "409": {"$ref": "#/components/responses/Refused"},
                "413": {"$ref": "#/components/responses/Refused"},
                "428": {"$ref": "#/components/responses/ToSign"}
              }
            }},
            "SignOff": {"post": {
              "summary": "Settle, review, approve, send back, issue or record a payment, signed by the member's key",
              "parameters": [{"$ref": "#/components/parameters/contract"}, {"$ref": "#/components/parameters/year"}, {"$ref": "#/components/parameters/csrf"}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignOff"}}}},
              "responses": {
                "200": {"description": "Recorded (state), or for a settle preview what the table changes", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Done"}}}},
                "400": {"$ref": "#/components/responses/Refused"},
                "401": {"$ref": "#/components/responses/SignIn"},
                "403": {"$ref": "#/components/responses/Refused"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "409": {"$ref": "#/components/responses/Refused"},
                "413": {"$ref": "#/components/responses/Refused"},
                "428": {"$ref": "#/components/responses/ToSign"}
              }
            }}}
          }
        }
        """#
}
