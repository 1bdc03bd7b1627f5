# The FTPS command reader and a whole control session on a MemoryWire (no socket, no TLS): the
# plugin's core library, compiled for the fuzz tree like every project object.
sightline_fuzz_target(ftp_command LIBRARIES sightline_intake_ftps_core sightline_ftps_common)
