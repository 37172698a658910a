package dev.ipcboot.autoconfigure;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifies the client beans of {@code ipc.clients} entries with {@code subscribe: true},
 * so that the channel source injects exactly those (by type and qualifier, without
 * creating the other, lazy clients and without bean names).
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.PARAMETER, ElementType.FIELD, ElementType.TYPE })
@interface SubscribingClient {

}
