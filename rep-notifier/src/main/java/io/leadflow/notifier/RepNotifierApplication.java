package io.leadflow.notifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class RepNotifierApplication {

    public static void main(String[] args) {
        SpringApplication.run(RepNotifierApplication.class, args);
    }
}
