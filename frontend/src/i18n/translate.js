/**
 * A bpmn-js `translate` module: Chinese by default, English templates when
 * lang is 'en'. Replaces `{name}` placeholders like the stock translate.
 */
import zh from './zh.js';

export function translator(lang) {
  const texts = lang === 'en' ? {} : zh;
  return function translate(template, replacements) {
    const text = Object.prototype.hasOwnProperty.call(texts, template) ? texts[template] : template;
    return text.replace(/{([^}]+)}/g, (whole, key) =>
      replacements && key in replacements ? replacements[key] : whole);
  };
}

export function translateModule(lang) {
  return { translate: ['value', translator(lang)] };
}
