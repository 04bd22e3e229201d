package dev.sluice.cli;
