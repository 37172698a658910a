package dev.ipcboot.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.process.ProcessFinishedEvent;
import dev.ipcboot.process.ProcessGaveUpEvent;
import dev.ipcboot.process.ProcessRestartingEvent;
import dev.ipcboot.process.ProcessStartedEvent;

/**
 * Processes: supervises {@code worker/invoice_worker.py}
 * ({@code ipc.processes.invoices}), hands it an order whenever it starts, logs the
 * invoices it prints, and logs the events of its life, including the restart after its
 * deliberate crashes.
 */
@Component
class InvoiceWorker {

	private static final Log logger = LogFactory.getLog(InvoiceWorker.class);

	@IpcListener("invoices")
	void line(String line, @Header(IpcHeaders.PROCESS_STREAM) String stream) {
		if ("stderr".equals(stream)) {
			logger.warn("worker says: " + line);
		}
		else {
			logger.info("received " + line);
		}
	}

	@EventListener
	void started(ProcessStartedEvent event) {
		logger.info("process '" + event.resourceName() + "' started, pid " + event.getPid());
		if ("invoices".equals(event.resourceName())) {
			event.getProcess().write("order 1 3 gizmo 4.20\n");
		}
	}

	@EventListener
	void finished(ProcessFinishedEvent event) {
		logger.info(event.toString());
	}

	@EventListener
	void restarting(ProcessRestartingEvent event) {
		logger.info(event.toString());
	}

	@EventListener
	void gaveUp(ProcessGaveUpEvent event) {
		logger.error("supervision gave up on '" + event.resourceName() + "' after " + event.getRestarts()
				+ " restarts within " + event.getWindow());
	}

}
