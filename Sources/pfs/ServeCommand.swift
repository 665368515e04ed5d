import ArgumentParser
import Foundation
import Hummingbird
import PFSPortal
import PFSRegister

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The web portal on the register: each party signs in and sees only its own.",
        discussion: """
            Listens on 127.0.0.1 unless --listen says otherwise. With no administrator account yet, prints a \
            one-time link to set one up (password and authenticator app). Sessions and accounts live in the \
            register's database, so several `pfs serve` on one PostgreSQL register can stand behind one load \
            balancer. Behind a TLS terminator (a reverse proxy such as nginx or Caddy), give --secure-cookies.
            """)

    @OptionGroup var register: RegisterOptions

    @Option(help: ArgumentHelp("The address and port to listen on.", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:8080"

    @Option(
        help: ArgumentHelp(
            "The address browsers reach the portal at, for the links it prints (default: http://HOST:PORT).",
            valueName: "URL"))
    var publicURL: String?

    @Flag(help: "Mark cookies Secure: a TLS terminator is in front of the portal.")
    var secureCookies = false

    func validate() throws {
        guard Self.hostAndPort(listen) != nil else {
            throw ValidationError("--listen takes HOST:PORT, e.g. 127.0.0.1:8080 (got '\(listen)')")
        }
    }

    static func hostAndPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    func run() async throws {
        guard let (host, port) = Self.hostAndPort(listen) else { throw ExitCode(ExitStatus.usage) }
        if !Self.isLoopback(host) && !secureCookies {
            printError(
                """
                pfs: warning: listening on \(host), beyond this machine, without --secure-cookies: passwords and \
                sessions cross the network in clear unless a TLS terminator (a reverse proxy with a certificate) \
                is in front. Put one in front and give --secure-cookies.
                """)
        }
        var configuration = PortalConfiguration(
            location: register.location(), publicURL: publicURL ?? "http://\(host):\(port)")
        configuration.secureCookies = secureCookies
        let portal = Portal(configuration)
        let link = try await withRegister { () async throws(RegisterError) in
            do {
                return try await portal.prepare()
            } catch let error as RegisterError {
                throw error
            } catch {
                throw RegisterError.database("\(error)")
            }
        }
        let location = configuration.location
        let app = portal.application(host: host, port: port) { address in
            // Written at once, unbuffered: a script starting the portal waits for these lines.
            var lines = "pfs serve: the portal is at http://\(address) (register \(location))\n"
            if let link { lines += "pfs serve: no administrator yet; set one up once, within 7 days, at \(link)\n" }
            FileHandle.standardOutput.write(Data(lines.utf8))
        }
        try await app.runService()
        await portal.close()
    }
}
