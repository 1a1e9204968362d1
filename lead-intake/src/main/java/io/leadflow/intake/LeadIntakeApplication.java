package io.leadflow.intake;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class LeadIntakeApplication {

    public static void main(String[] args) {
        SpringApplication.run(LeadIntakeApplication.class, args);
    }
}
