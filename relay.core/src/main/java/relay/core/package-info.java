/** The relay engine: candidate processor, port pool, I/O loops, timeout monitor. Private. */
package relay.core;
