package dev.ipcboot;

import dev.ipcboot.internal.IpcResource;

/**
 * Health of an {@link IpcResource}, in the starter's own terms so that facilities work
 * without Actuator. Actuator's health contributor maps each value to the status of the
 * same name.
 */
public enum IpcResourceStatus {

	/**
	 * Working: a server is listening, a client's last call succeeded or its server is
	 * reachable, a bus connection is connected, a process is running, a segment is
	 * attached.
	 */
	UP,

	/**
	 * Deliberately unavailable for a while and expected back without intervention: a
	 * supervised process starting or waiting to be restarted.
	 */
	OUT_OF_SERVICE,

	/**
	 * Failed: a server that could not bind or stopped accepting, a client whose last call
	 * could not reach its server, a supervised process that exhausted its restarts or
	 * must not be restarted, a lost bus connection (while it is being re-established too:
	 * calls fail meanwhile).
	 */
	DOWN,

	/**
	 * Not known yet (not started) or could not be determined.
	 */
	UNKNOWN

}
