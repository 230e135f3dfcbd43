/**
 * Example: a Kafka Streams word count whose state lives in Sett, moved there by one line of
 * configuration ({@link dev.sett.examples.wordcount.WordCountTopology#config}); {@link
 * dev.sett.examples.wordcount.Main} runs it against a cluster, or without one in demo mode ({@link
 * dev.sett.examples.wordcount.Demo}).
 */
package dev.sett.examples.wordcount;
