// swift-tools-version: 6.1
import PackageDescription

// The pipeline is the layout: load (XML → Contract) → check → evaluate → render.
// PFSEvaluator depends on the model only: it cannot reach libxml2 or a renderer.
let package = Package(
    name: "pfs",
    products: [
        .executable(name: "pfs", targets: ["pfs"]),
        .library(name: "PFS", targets: ["PFS"]),
    ],
    // The register's PostgreSQL backend is built only when asked (`--traits PostgreSQL`):
    // its client brings SwiftNIO's TLS and a second copy of BoringSSL, about half of a
    // first build's time. CI and README's shared-register set-up ask for it.
    traits: [
        .trait(
            name: "PostgreSQL",
            description: "Registers in PostgreSQL (postgres:// URLs) besides SQLite files, and the tests on a server")
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Exact fractions of any size for present values and rates of return.
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // The register: one query layer (SQLKit) over SQLite (embedded) and PostgreSQL.
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        // Reading a department's actuals from an .xlsx workbook (a zip of XML parts).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // The portal (`pfs serve`): an HTTP server, bcrypt passwords and TOTP second factors.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Named because the register and the tests import them (postgres-kit and hummingbird
        // bring them): the event loops a database connection runs on, and its logger.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Two Linux file-system calls for writing many statements with one flush.
        .target(name: "CFileSystem"),
        .target(name: "PFSModel"),
        .target(
            name: "PFSLoader",
            dependencies: [
                "PFSModel", "CLibXML2",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(name: "PFSChecks", dependencies: ["PFSEvaluator", "PFSModel", "PFSValue"]),
        .target(name: "PFSEvaluator", dependencies: ["PFSModel"]),
        // Value for money: present values under a discount schedule, money multiples and
        // internal rates of return, on exact fractions (BigInt), never floating point.
        .target(
            name: "PFSValue",
            dependencies: ["PFSModel", .product(name: "BigInt", package: "BigInt")]
        ),
        .target(
            name: "PFSStatements",
            dependencies: [
                "PFSModel", "PFSValue",
                // The settlement digest (SHA-256).
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                // Workbooks (xlsx) are zip archives of XML parts.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            // Schemas and the template are sources; the binary carries the template as
            // EmbeddedTemplate.swift (scripts/embed-resources), so it runs when copied anywhere.
            exclude: ["Schema", "Templates"]
        ),
        // INDIGO 4.1.0 (the Government Outcomes Lab's data standard): a contract and its years
        // as a project (export), a project — JSON or the spreadsheet export's CSV files — as a
        // contract skeleton (import).
        .target(
            name: "PFSIndigo",
            dependencies: [
                "PFS", "PFSLedger", "PFSLoader", "PFSModel", "PFSStatements", "PFSValue",
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The facade: check, settle, statements as values, verification, actuals. It reads the
        // files it is named, writes none and runs no program (PDF is asked of a renderer its
        // caller gives: PFSOutput's, which runs WeasyPrint).
        .target(
            name: "PFS",
            dependencies: [
                "PFSModel", "PFSLoader", "PFSChecks", "PFSEvaluator", "PFSStatements", "PFSValue",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The portfolio's ledger (what each payer owes each payee, year by year, tied to the
        // statements) and the budget envelope (the least and the most the rules allow in each
        // future year): figures over many settlements, values only.
        .target(name: "PFSLedger", dependencies: ["PFS", "PFSEvaluator", "PFSModel", "PFSStatements", "PFSValue"]),
        // Writing statements: folder locks, exclusive creation, batches flushed once,
        // portfolio runs over the cores.
        .target(
            name: "PFSOutput",
            dependencies: [
                "PFS", "PFSLedger", "PFSLoader", "PFSModel", "PFSEvaluator", "PFSStatements", "PFSValue", "CFileSystem",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The settlement register: contract versions, runs, statements and each year's
        // states, signed and hash-chained, in SQLite or PostgreSQL through SQLKit.
        .target(
            name: "PFSRegister",
            dependencies: [
                // PFSOutput: the PDF renderer, for the statements a run records and issues.
                "PFS", "PFSLedger", "PFSModel", "PFSOutput", "PFSStatements",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The web portal on the register: sign-in, sessions, each party's own pages, the JSON
        // API, and sign-offs signed in the browser. Knows nothing of XML.
        .target(
            name: "PFSPortal",
            dependencies: [
                "PFS", "PFSLedger", "PFSLoader", "PFSModel", "PFSOutput", "PFSRegister", "PFSStatements",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
        ),
        .executableTarget(
            name: "pfs",
            // Clients name and import the modules they use; PFS re-exports nothing. Seeing the
            // model only through a re-export, incremental builds did not recompile a client
            // when a model struct's layout changed (it crashed until a clean build).
            dependencies: [
                "PFS", "PFSChecks", "PFSEvaluator", "PFSIndigo", "PFSLedger", "PFSLoader", "PFSModel", "PFSOutput",
                "PFSPortal", "PFSRegister", "PFSStatements", "PFSValue",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libFuzzer harness; `scripts/fuzz` builds it with -sanitize=fuzzer -DFUZZING.
        // A normal build gives a replayer for crash files.
        .executableTarget(name: "pfs-fuzz", dependencies: ["PFS", "PFSModel", "PFSStatements"]),
        // What the tests share: repository paths, contract builders, running the binary,
        // temporary folders removed when the tests end.
        .target(
            name: "PFSTestSupport",
            dependencies: ["PFS", "PFSChecks", "PFSEvaluator", "PFSModel", "PFSStatements"],
            path: "Tests/PFSTestSupport"
        ),
        .testTarget(
            name: "PFSTests",
            dependencies: [
                "PFS", "PFSModel", "PFSLoader", "PFSChecks", "PFSEvaluator", "PFSLedger", "PFSOutput", "PFSRegister",
                "PFSStatements", "PFSPortal", "PFSValue", "PFSIndigo", "pfs",
                "PFSTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                // A database per PostgreSQL test, made and dropped on the test server.
                .product(name: "PostgresKit", package: "postgres-kit", condition: .when(traits: ["PostgreSQL"])),
                // Workbooks of actuals written by the tests.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // Reads back what pfs's CSV writer writes.
                .product(name: "CSV", package: "CSV.swift"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
