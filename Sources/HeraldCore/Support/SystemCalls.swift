#if canImport(Glibc)
import Glibc
/// read(2) and write(2), named once for Linux and Darwin.
package let systemRead = Glibc.read
package let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
package let systemRead = Darwin.read
package let systemWrite = Darwin.write
#endif
